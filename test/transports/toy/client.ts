import { sinkBatch } from '../../../src/transports/events.js';
import { HttpSender } from '../../../src/transports/chat-send.js';
import { answerOutcome, type ChatMessage, type ClientContext, type SendReceipt, type TransportClient } from '../../../src/transports/types.js';
import type { ToySettings } from './settings.js';

/**
 * Polls GET /toy with fetch, `every` after each answer: no socket metering, no retries; just enough
 * to carry events. Offline (either way) it stops polling and ignores an answer still in flight; back,
 * it polls at once from its cursor.
 */
export class ToyClient implements TransportClient {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private offline = false;
  /** A chat message goes up with POST /send, as any HTTP transport's does. */
  private readonly sender: HttpSender;

  constructor(private readonly ctx: ClientContext<ToySettings>) {
    this.sender = new HttpSender(ctx);
  }

  send(message: ChatMessage): Promise<SendReceipt> {
    return this.sender.send(message);
  }

  async start(): Promise<void> {
    const startNs = process.hrtime.bigint();
    await this.poll();
    this.ctx.sink.connected(this.ctx.clientIndex, process.hrtime.bigint() - startNs);
    this.schedule();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.sender.close();
  }

  goOffline(): void {
    this.offline = true;
    clearTimeout(this.timer);
  }

  comeBack(): void {
    if (!this.offline) return;
    this.offline = false;
    this.schedule(0);
  }

  private schedule(delayMs = this.ctx.settings.everyMs): void {
    if (this.stopped || this.offline) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.poll().then(
        () => this.schedule(),
        (error: Error) => this.ctx.sink.failure(this.ctx.clientIndex, 'request', error.message),
      );
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const response = await fetch(`${this.ctx.baseUrl}/toy?client=${this.ctx.clientId}&after=${this.cursor}`);
    const body = await response.text();
    if (this.stopped || this.offline) return;
    const batch = sinkBatch(this.ctx.sink, this.ctx.clientIndex, body, process.hrtime.bigint());
    this.ctx.sink.request(this.ctx.clientIndex, answerOutcome(batch.delivered));
    if (batch.next >= 0) this.cursor = batch.next;
  }
}
