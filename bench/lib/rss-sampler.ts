/** Samples the RSS of the server and of the client processes on a timer, each sample tagged with the phase's step. */
import { performance } from 'node:perf_hooks';
import type { PhaseStatus } from '../../src/runner/phase.js';
import { childrenRss } from './process-rss.js';

/** The phase step a sample was taken in; `start` before the runner's first status. */
export type SampleStep = PhaseStatus['step'] | 'start';

export interface RssSample {
  /** Seconds since the sampler started. */
  t: number;
  step: SampleStep;
  /** The reference server's RSS, bytes; null while it is not running. */
  serverBytes: number | null;
  /** The client processes' RSS summed, bytes; null while none runs. */
  clientBytes: number | null;
  /** Client processes summed. Count. */
  clientProcesses: number;
}

export class RssSampler {
  readonly samples: RssSample[] = [];
  /** Ticks skipped because the previous reading had not finished (a starved bench process). Count. */
  skipped = 0;
  private step: SampleStep = 'start';
  private readonly startedMs = performance.now();
  private reading = false;
  private readonly timer: NodeJS.Timeout;
  private failure: Error | undefined;

  constructor(intervalMs: number) {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  /** The runner moved to another step of the phase (from runScenario's onStatus). */
  setStep(step: SampleStep): void {
    this.step = step;
  }

  /** Stops sampling; throws if /proc could not be read at all. */
  stop(): RssSample[] {
    clearInterval(this.timer);
    if (this.failure) throw this.failure;
    return this.samples;
  }

  private async sample(): Promise<void> {
    if (this.reading) {
      this.skipped++;
      return;
    }
    this.reading = true;
    const t = (performance.now() - this.startedMs) / 1_000;
    const step = this.step;
    try {
      const children = await childrenRss();
      const server = children.filter((c) => c.role === 'server');
      const clients = children.filter((c) => c.role === 'client');
      const sum = (list: typeof children) => (list.length === 0 ? null : list.reduce((total, c) => total + c.rssBytes, 0));
      this.samples.push({ t, step, serverBytes: sum(server), clientBytes: sum(clients), clientProcesses: clients.length });
    } catch (error) {
      this.failure ??= new Error(`bench:soak reads memory from /proc (Linux only): ${(error as Error).message}`);
    } finally {
      this.reading = false;
    }
  }
}
