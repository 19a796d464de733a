import type { ConsumeMessage } from 'amqplib';
import { amqpQueue, brokerOf, noChatOnBrokers, type BrokerLink } from '../broker-link.js';
import { closeAmqpSession, openAmqpSession, type AmqpSession } from '../amqp-connection.js';
import { parseJson, sinkScheduledEvent } from '../events.js';
import { ClientLifecycle } from '../lifecycle.js';
import type { OfflineHow } from '../offline.js';
import type { ChatMessage, ClientContext, SendReceipt, TransportClient } from '../types.js';
import type { AmqpConsumeSettings } from './settings.js';

/**
 * A RabbitMQ consumer: one connection and channel, basic.qos with the prefetch, basic.consume on
 * the client's own queue; the broker pushes each message as it arrives. With manual acks each one
 * is acknowledged once the client got to it (at once, or as its consume gate lets a slow client),
 * so a slow consumer holds at most `prefetch` unacknowledged and the broker keeps the rest.
 *
 * The consume counts as one request (it opened a push, like an SSE connect). Going offline with
 * `close` closes the connection: the queue keeps what arrives meanwhile, and unacknowledged
 * messages go back to it (seen again on return: duplicates, counted as such); back, it consumes
 * again. `silent` stops reading the socket; the broker's writes then wait in TCP buffers.
 */
export function createAmqpConsumeClient(ctx: ClientContext<AmqpConsumeSettings>): TransportClient {
  return new AmqpConsumeClient(ctx);
}

class AmqpConsumeClient implements TransportClient {
  private readonly lifecycle: ClientLifecycle;
  private readonly broker: BrokerLink;
  private session: AmqpSession | undefined;
  /** Bumped at every close of ours: a session that ends after it was replaced or left is nobody's concern. */
  private generation = 0;

  constructor(private readonly ctx: ClientContext<AmqpConsumeSettings>) {
    this.broker = brokerOf(ctx, 'amqp-consume');
    this.lifecycle = new ClientLifecycle(ctx, () => void this.close());
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    void this.open();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.close();
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    if (how === 'close') void this.close();
    else this.session?.socket.pause();
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'close') void this.open();
    else if (how === 'silent') this.session?.socket.resume();
  }

  send(_message: ChatMessage): Promise<SendReceipt> {
    return noChatOnBrokers('amqp-consume');
  }

  private async open(): Promise<void> {
    const generation = this.generation;
    const attemptStartNs = process.hrtime.bigint();
    const { settings } = this.ctx;
    let session: AmqpSession | undefined;
    try {
      session = await openAmqpSession(this.ctx, this.broker.url, (error) => this.dropped(generation, error));
      if (generation !== this.generation || !this.lifecycle.active) return void closeAmqpSession(session);
      this.session = session;
      if (settings.ack === 'manual') await session.channel.prefetch(settings.prefetch);
      await session.channel.consume(amqpQueue(this.broker.namespace, this.ctx.clientId), (message) => this.received(session!, message), {
        noAck: settings.ack === 'auto',
      });
      this.ctx.sink.request(this.ctx.clientIndex, 'events');
      this.lifecycle.connected(attemptStartNs);
    } catch (error) {
      await closeAmqpSession(session);
      if (generation !== this.generation) return;
      this.ctx.sink.request(this.ctx.clientIndex, 'failed');
      this.lifecycle.failed('connect', (error as Error).message, true, () => void this.open());
    }
  }

  private received(session: AmqpSession, message: ConsumeMessage | null): void {
    const receivedNs = process.hrtime.bigint();
    const { sink, clientIndex, consume } = this.ctx;
    if (message === null) {
      // The broker cancelled the consumer (its queue was deleted): nothing more will come.
      this.lifecycle.failed('disconnect', 'the broker cancelled the consumer (its queue was deleted)', true, () => void this.reopen());
      return;
    }
    consume?.read(message.content.length, receivedNs);
    sinkScheduledEvent(sink, clientIndex, parseJson(message.content.toString()), receivedNs, this.broker.seqOf);
    if (this.ctx.settings.ack === 'auto') return;
    const holdMs = consume?.holdMs() ?? 0;
    // Acknowledged once the client got to it: a slow client's acks lag, and the prefetch window then holds the broker back.
    if (holdMs <= 0) session.channel.ack(message);
    else setTimeout(() => this.ackLater(session, message), holdMs).unref();
  }

  private ackLater(session: AmqpSession, message: ConsumeMessage): void {
    // A session closed meanwhile took its unacknowledged messages back to the queue.
    if (session === this.session) session.channel.ack(message);
  }

  /** The connection ended without our asking (the broker closed it, or it broke): connect again after a pause. */
  private dropped(generation: number, error: Error | undefined): void {
    if (generation !== this.generation) return;
    this.session = undefined;
    if (!this.lifecycle.active) return;
    this.lifecycle.failed('disconnect', error?.message ?? 'the broker closed the connection', true, () => void this.open());
  }

  private async reopen(): Promise<void> {
    await this.close();
    if (this.lifecycle.active) await this.open();
  }

  private async close(): Promise<void> {
    this.generation++;
    const session = this.session;
    this.session = undefined;
    await closeAmqpSession(session);
  }
}
