import type { GetMessage } from 'amqplib';
import { amqpQueue } from '../broker-link.js';
import { AmqpClient, type AmqpSession } from '../amqp-connection.js';
import { parseJson, sinkScheduledEvent } from '../events.js';
import type { ClientContext, TransportClient } from '../types.js';
import type { AmqpGetSettings } from './settings.js';

/**
 * A RabbitMQ worker that pulls: one connection and channel, and every `interval` a round of
 * basic.get on its own queue until the queue answers empty (get-empty), as a worker drains its
 * queue and sleeps. Each get is a request: one that brought a message, or an empty one; so a
 * quiet queue costs one empty get per interval, and a busy one a round trip per message.
 *
 * Rounds tick at fixed times (a random phase in [0, interval), then every interval); a tick that
 * comes while a round is still getting is skipped and reported, as short polling's is. Offline
 * with `close`: the connection closes and the queue keeps what arrives; back, a round at once.
 * `silent`: no round, and the socket is not read; back, a round at once.
 */
export function createAmqpGetClient(ctx: ClientContext<AmqpGetSettings>): TransportClient {
  return new AmqpGetClient(ctx, 'amqp-get');
}

class AmqpGetClient extends AmqpClient<AmqpGetSettings> {
  private timer: NodeJS.Timeout | undefined;
  private originMs = 0;
  private tick = 0;
  private inRound = false;

  protected opened(_session: AmqpSession, attemptStartNs: bigint): Promise<void> {
    this.lifecycle.connected(attemptStartNs);
    // The first round at once (a worker drains what waits when it starts, or comes back), then on the schedule, from a random phase.
    this.scheduleFrom(performance.now() + this.ctx.random() * this.ctx.settings.intervalMs);
    void this.round();
    return Promise.resolve();
  }

  protected override leaving(): void {
    clearTimeout(this.timer);
  }

  protected override back(): void {
    this.scheduleFrom(performance.now());
    void this.round();
  }

  /** Ticks at origin + k × interval from now on. */
  private scheduleFrom(originMs: number): void {
    this.originMs = originMs;
    this.tick = 0;
    this.armTimer();
  }

  private armTimer(): void {
    clearTimeout(this.timer);
    const { intervalMs } = this.ctx.settings;
    const nowMs = performance.now();
    // The next tick still ahead; those the timer woke too late for (or a round outlasted) are skipped and reported.
    let dueMs = this.originMs + this.tick * intervalMs;
    while (dueMs < nowMs - 1) {
      if (this.tick > 0) this.ctx.sink.skippedPoll?.(this.ctx.clientIndex);
      this.tick++;
      dueMs = this.originMs + this.tick * intervalMs;
    }
    this.timer = setTimeout(() => this.onTick(), Math.max(0, dueMs - nowMs));
  }

  private onTick(): void {
    this.tick++;
    if (!this.lifecycle.active || this.lifecycle.offline !== null || !this.session) return;
    if (this.inRound) this.ctx.sink.skippedPoll?.(this.ctx.clientIndex);
    else void this.round();
    this.armTimer();
  }

  /** Gets until the queue answers empty. */
  private async round(): Promise<void> {
    const session = this.session;
    if (!session || this.inRound) return;
    this.inRound = true;
    try {
      while (session === this.session && this.lifecycle.active && this.lifecycle.offline === null) {
        const got = await this.getOne(session);
        if (!got) break;
        // A slow client gets the next one once it is done with this one.
        const holdMs = this.ctx.consume?.holdMs() ?? 0;
        if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      }
    } finally {
      this.inRound = false;
    }
  }

  /** One basic.get: true when it brought a message. */
  private async getOne(session: AmqpSession): Promise<boolean> {
    const { sink, clientIndex, settings, consume } = this.ctx;
    let message: GetMessage | false;
    try {
      message = await session.channel.get(amqpQueue(this.broker.namespace, this.ctx.clientId), { noAck: settings.ack === 'auto' });
    } catch (error) {
      if (session !== this.session) return false;
      sink.request(clientIndex, 'failed');
      this.lifecycle.failed('request', `basic.get: ${(error as Error).message}`, true, null);
      return false;
    }
    const receivedNs = process.hrtime.bigint();
    this.lifecycle.succeeded();
    if (message === false) {
      sink.request(clientIndex, 'empty');
      return false;
    }
    sink.request(clientIndex, 'events');
    consume?.read(message.content.length, receivedNs);
    sinkScheduledEvent(sink, clientIndex, parseJson(message.content.toString()), receivedNs, this.broker.seqOf);
    if (settings.ack === 'manual' && session === this.session) session.channel.ack(message);
    return true;
  }
}
