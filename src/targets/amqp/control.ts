/**
 * The runner's side of RabbitMQ: each phase a namespace of its own (queues `<ns>.<client>` and a
 * fanout `<ns>.all`, broker-link.ts), declared when the clients are registered and deleted at the
 * next reset. Publishing goes over a confirm channel: a message counts as published when the
 * broker confirms it (it is then in every queue it was routed to), and that moment bounds its
 * publish time from above, as for nchan. RabbitMQ has no figures of push-bench's kind: the
 * broker's cost is read from its process, and what it holds from its queues (held()).
 */
import { connect, type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { amqpBroadcastExchange, amqpQueue } from '../../transports/broker-link.js';
import type { DialectSpec, PublishAnswer, PublishSpec, TargetControl } from '../control.js';
import { eventBody, newNamespace, RelayControl } from '../relay.js';

/** Declarations in flight at once on the set-up channel: amqplib queues the rest. */
const DECLARE_BATCH = 500;

interface Link {
  model: ChannelModel;
  /** Declares, deletes and queue depths: a failing passive check closes a channel, so not the publisher's. */
  setup: Channel;
  publish: ConfirmChannel;
}

export class AmqpControl extends RelayControl implements TargetControl {
  readonly baseUrl: string;
  private link: Promise<Link> | undefined;
  private queues: string[] = [];

  constructor(readonly url: string) {
    super('RabbitMQ');
    this.baseUrl = url;
  }

  async register(ids: readonly string[]): Promise<void> {
    const { setup } = await this.connected();
    const exchange = amqpBroadcastExchange(this.namespace);
    await setup.assertExchange(exchange, 'fanout', { durable: false, autoDelete: false });
    const queues = ids.map((id) => amqpQueue(this.namespace, id));
    for (let i = 0; i < queues.length; i += DECLARE_BATCH) {
      await Promise.all(
        queues.slice(i, i + DECLARE_BATCH).map(async (queue) => {
          // Not exclusive, not auto-deleted: a queue outlives its consumer's absence, which is the point.
          await setup.assertQueue(queue, { durable: false, autoDelete: false, exclusive: false });
          await setup.bindQueue(queue, exchange, '');
        }),
      );
    }
    this.queues = queues;
  }

  async reset(): Promise<void> {
    await this.dropNamespace();
    this.namespace = newNamespace();
  }

  dialect(): DialectSpec {
    return { adapter: 'broker', url: this.url, namespace: this.namespace };
  }

  /**
   * Messages ready in the phase's queues now (basic.get would find them), summed; those delivered
   * to a consumer but not yet acknowledged are not counted: RabbitMQ's passive declare does not tell them.
   */
  async held(): Promise<number | null> {
    const { setup } = await this.connected();
    let total = 0;
    for (let i = 0; i < this.queues.length; i += DECLARE_BATCH) {
      const counts = await Promise.all(this.queues.slice(i, i + DECLARE_BATCH).map(async (queue) => (await setup.checkQueue(queue)).messageCount));
      for (const count of counts) total += count;
    }
    return total;
  }

  async close(): Promise<void> {
    if (!this.link) return;
    await this.dropNamespace().catch(() => undefined);
    const { model } = await this.link;
    this.link = undefined;
    await model.close().catch(() => undefined);
  }

  private connected(): Promise<Link> {
    this.link ??= (async () => {
      const model = await connect(this.url, { timeout: 10_000 });
      // A broker that goes away fails the next call; the run hears of its death from its process.
      model.on('error', () => undefined);
      return { model, setup: await model.createChannel(), publish: await model.createConfirmChannel() };
    })();
    return this.link;
  }

  protected async publishInOrder(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    const { publish } = await this.connected();
    const exchange = amqpBroadcastExchange(this.namespace);
    const confirmed = specs.map((spec) => {
      const body = eventBody(spec);
      const routes = spec.to === 'all' ? [{ exchange, key: '' }] : spec.to.map((id) => ({ exchange: '', key: amqpQueue(this.namespace, id) }));
      return Promise.all(
        routes.map(
          ({ exchange: to, key }) =>
            new Promise<void>((resolve, reject) => {
              publish.publish(to, key, body, { contentType: 'application/json' }, (error: unknown) =>
                error ? reject(new Error('RabbitMQ refused a message (nack)')) : resolve(),
              );
            }),
        ),
      ).then(() => process.hrtime.bigint());
    });
    const times = await Promise.all(confirmed);
    return specs.map((spec, i) => ({
      id: spec.index,
      recipients: spec.to === 'all' ? this.queues.length : spec.to.length,
      publishedAt: times[i]!.toString(),
    }));
  }

  private async dropNamespace(): Promise<void> {
    if (this.queues.length === 0 || !this.link) return;
    const { setup } = await this.connected();
    const queues = this.queues;
    this.queues = [];
    for (let i = 0; i < queues.length; i += DECLARE_BATCH) await Promise.all(queues.slice(i, i + DECLARE_BATCH).map((queue) => setup.deleteQueue(queue)));
    await setup.deleteExchange(amqpBroadcastExchange(this.namespace));
  }
}
