/**
 * What a broker holds for its clients, sampled about once a second over a phase (TargetControl's
 * held()): the queue depth over time, its peak in the measured window and its value at the
 * window's end. A sampling that fails or cannot tell is left out of the series, never taken as 0.
 */
import type { BrokerHeld } from '../report/model.js';

const SAMPLE_INTERVAL_MS = 1_000;
/** The end's own sampling comes just after the window closes (after the server's figures are read): it still counts for the peak. */
const END_SAMPLE_GRACE_NS = 500_000_000n;

export class HeldSampler {
  private readonly samples: Array<{ atNs: bigint; messages: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly held: () => Promise<number | null>) {}

  start(): void {
    this.running = true;
    this.schedule();
  }

  /** One sampling now (the window's end), after the one under way: its own value, or null when it could not tell (never an earlier one). */
  sampleNow(): Promise<number | null> {
    const now = this.busy.then(() => this.sample().catch(() => null));
    this.busy = now.then(() => undefined);
    return now;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy;
  }

  /** The figures of the window [startNs, endNs]; `atEnd` as sampled at its end. */
  summary(startNs: bigint, endNs: bigint, atEnd: number | null): BrokerHeld {
    const inWindow = this.samples.filter((s) => s.atNs >= startNs && s.atNs <= endNs + END_SAMPLE_GRACE_NS);
    return {
      peak: inWindow.length === 0 ? null : Math.max(...inWindow.map((s) => s.messages)),
      atEnd,
      series: this.samples.map((s) => ({ atMs: Math.round(Number(s.atNs - startNs) / 1e5) / 10, messages: s.messages })),
    };
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      if (!this.running) return;
      this.busy = this.busy.then(() =>
        this.sample().then(
          () => undefined,
          () => undefined,
        ),
      );
      void this.busy.then(() => {
        if (this.running) this.schedule();
      });
    }, SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  /** One sampling, kept when it could tell; its value. */
  private async sample(): Promise<number | null> {
    const messages = await this.held();
    if (messages !== null) this.samples.push({ atNs: process.hrtime.bigint(), messages });
    return messages;
  }
}
