/**
 * The reference server's cost second by second over a phase, from its /stats: CPU per wall
 * time, RSS and event-loop utilisation between two readings. A reading that fails (no /stats,
 * a server that died) leaves its second null, never 0.
 */
import type { StatsSnapshot } from '../server/stats.js';
import { SERIES_INTERVAL_MS, secondIndex, type ServerSecond } from '../metrics/series.js';

export interface ServerReading {
  atNs: bigint;
  /** ms since the server's counters were last reset: a smaller value than the previous reading's means a reset in between. */
  sinceResetMs: number;
  cpuMs: number;
  rssBytes: number;
  eluActiveMs: number;
  eluIdleMs: number;
}

export class ServerSampler {
  private readonly readings: ServerReading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly stats: () => Promise<StatsSnapshot | undefined>) {}

  start(): void {
    this.running = true;
    this.timer = setInterval(() => {
      // One reading at a time: a slow /stats answer delays the next one rather than piling up.
      this.busy = this.busy.then(() => this.read());
    }, SERIES_INTERVAL_MS).unref();
    this.busy = this.read();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    await this.busy;
  }

  /** The seconds from `originNs` on, each from the reading that fell in it and the one before. */
  seconds(originNs: bigint): ServerSecond[] {
    return serverSeconds(this.readings, originNs);
  }

  private async read(): Promise<void> {
    try {
      const stats = await this.stats();
      if (!stats || !this.running) return;
      this.readings.push({
        atNs: process.hrtime.bigint(),
        sinceResetMs: stats.sinceResetMs,
        cpuMs: stats.cpu.totalMs,
        rssBytes: stats.memory.rssBytes,
        eluActiveMs: stats.eventLoop.activeMs,
        eluIdleMs: stats.eventLoop.idleMs,
      });
    } catch {
      // A reading that failed is a second without server figures.
    }
  }
}

/**
 * Pairs each reading with the one before it. Across a counter reset (the measured window's
 * start) the later reading's own counters cover the time since the reset, which is what is used.
 */
export function serverSeconds(readings: readonly ServerReading[], originNs: bigint): ServerSecond[] {
  const seconds: ServerSecond[] = [];
  for (let i = 1; i < readings.length; i++) {
    const [before, now] = [readings[i - 1]!, readings[i]!];
    const reset = now.sinceResetMs < before.sinceResetMs;
    const base = reset ? { sinceResetMs: 0, cpuMs: 0, eluActiveMs: 0, eluIdleMs: 0 } : before;
    const wallMs = now.sinceResetMs - base.sinceResetMs;
    const loopMs = now.eluActiveMs - base.eluActiveMs + (now.eluIdleMs - base.eluIdleMs);
    seconds.push({
      s: secondIndex(now.atNs, originNs),
      cpuPct: wallMs > 0 ? ((now.cpuMs - base.cpuMs) / wallMs) * 100 : null,
      rssBytes: now.rssBytes,
      elu: loopMs > 0 ? Math.min(1, (now.eluActiveMs - base.eluActiveMs) / loopMs) : null,
    });
  }
  return seconds;
}
