import type { ConsumeMessage } from 'amqplib';
import { amqpQueue } from '../broker-link.js';
import { AmqpClient, type AmqpSession } from '../amqp-connection.js';
import { parseJson, sinkScheduledEvent } from '../events.js';
import type { ClientContext, TransportClient } from '../types.js';
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
  return new AmqpConsumeClient(ctx, 'amqp-consume');
}

class AmqpConsumeClient extends AmqpClient<AmqpConsumeSettings> {
  protected async opened(session: AmqpSession, attemptStartNs: bigint): Promise<void> {
    const { settings, sink, clientIndex, clientId } = this.ctx;
    if (settings.ack === 'manual') await session.channel.prefetch(settings.prefetch);
    await session.channel.consume(amqpQueue(this.broker.namespace, clientId), (message) => this.received(session, message), {
      noAck: settings.ack === 'auto',
    });
    sink.request(clientIndex, 'events');
    this.lifecycle.connected(attemptStartNs);
  }

  protected override attemptFailed(): void {
    this.ctx.sink.request(this.ctx.clientIndex, 'failed');
  }

  private received(session: AmqpSession, message: ConsumeMessage | null): void {
    const receivedNs = process.hrtime.bigint();
    const { sink, clientIndex, consume } = this.ctx;
    if (message === null) {
      // The broker cancelled the consumer (its queue was deleted): nothing more will come on this session.
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

  private async reopen(): Promise<void> {
    await this.close();
    if (this.lifecycle.active) await this.open();
  }
}
