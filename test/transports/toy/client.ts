import { sinkBatch } from '../../../src/transports/events.js';
import { answerOutcome, type ClientContext, type TransportClient } from '../../../src/transports/types.js';
import type { ToySettings } from './settings.js';

/** Polls GET /toy with fetch, `every` after each answer: no socket metering, no retries; just enough to carry events. */
export class ToyClient implements TransportClient {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly ctx: ClientContext<ToySettings>) {}

  async start(): Promise<void> {
    const startNs = process.hrtime.bigint();
    await this.poll();
    this.ctx.sink.connected(this.ctx.clientIndex, process.hrtime.bigint() - startNs);
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return Promise.resolve();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll().then(
        () => this.schedule(),
        (error: Error) => this.ctx.sink.failure(this.ctx.clientIndex, 'request', error.message),
      );
    }, this.ctx.settings.everyMs);
  }

  private async poll(): Promise<void> {
    const response = await fetch(`${this.ctx.baseUrl}/toy?client=${this.ctx.clientId}&after=${this.cursor}`);
    const body = await response.text();
    if (this.stopped) return;
    const batch = sinkBatch(this.ctx.sink, this.ctx.clientIndex, body, process.hrtime.bigint());
    this.ctx.sink.request(this.ctx.clientIndex, answerOutcome(batch.delivered));
    if (batch.next >= 0) this.cursor = batch.next;
  }
}
