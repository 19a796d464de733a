/**
 * Notices a client process that goes quiet. Each one reports its progress every
 * PROGRESS_INTERVAL_MS; a gap much longer than that means it was stopped (SIGSTOP, a suspended
 * container), swapped out or starved of CPU. Its clients then see events late: the latency is
 * real, but it belongs to the generator, not to the transport, and the run must say so.
 */
import { performance } from 'node:perf_hooks';

export interface Stall {
  /** Gaps past the threshold. Count. */
  count: number;
  /** The longest gap, ms. */
  longestMs: number;
}

export class StallWatch {
  private readonly lastHeard = new Map<number, number>();
  private readonly stalls = new Map<number, Stall>();
  /** Shards already announced as silent in their current gap. */
  private readonly announced = new Set<number>();

  constructor(
    /** A gap longer than this is a stall, ms. */
    private readonly thresholdMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Start watching a shard (from now on it is expected to report). */
  watch(shard: number): void {
    this.lastHeard.set(shard, this.now());
  }

  /** The shard reported. */
  heard(shard: number): void {
    const last = this.lastHeard.get(shard);
    if (last === undefined) return;
    this.close(shard, last);
    this.lastHeard.set(shard, this.now());
  }

  /** Stop watching a shard (it exited, or the phase is over); a gap still open counts. */
  unwatch(shard: number): void {
    const last = this.lastHeard.get(shard);
    if (last !== undefined) this.close(shard, last);
    this.lastHeard.delete(shard);
  }

  /** Shards silent past the threshold right now, each returned once per gap, with how long so far (ms). */
  newlySilent(): Array<{ shard: number; silentMs: number }> {
    const now = this.now();
    const silent: Array<{ shard: number; silentMs: number }> = [];
    for (const [shard, last] of this.lastHeard) {
      if (now - last > this.thresholdMs && !this.announced.has(shard)) {
        this.announced.add(shard);
        silent.push({ shard, silentMs: now - last });
      }
    }
    return silent;
  }

  /** Every stall so far, by shard. */
  report(): ReadonlyMap<number, Stall> {
    return this.stalls;
  }

  private close(shard: number, last: number): void {
    this.announced.delete(shard);
    const gap = this.now() - last;
    if (gap <= this.thresholdMs) return;
    const stall = this.stalls.get(shard) ?? { count: 0, longestMs: 0 };
    stall.count++;
    stall.longestMs = Math.max(stall.longestMs, gap);
    this.stalls.set(shard, stall);
  }
}
