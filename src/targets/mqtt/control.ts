/**
 * The runner's side of an MQTT broker: each phase a namespace of its own (topics `<ns>/<client>`
 * and `<ns>/all`, broker-link.ts). Nothing is declared: a subscriber's session is its own. Every
 * message is published at QoS 1, so the broker acknowledges it (PUBACK) once it has taken it, and
 * that moment bounds its publish time from above; each subscription then gets it at its own QoS
 * (MQTT delivers at the lower of the two).
 *
 * What the broker holds is read from its $SYS topics (Mosquitto's message store, counted every
 * sys_interval: each second for the broker push-bench starts, 10 s by default elsewhere), less what
 * it held before the first phase (its own retained $SYS messages); null where the broker publishes no such figure.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { mqttBroadcastTopic, mqttClientTopic } from '../../transports/broker-link.js';
import type { DialectSpec, PublishAnswer, PublishSpec, TargetControl } from '../control.js';
import { eventBody, newNamespace, RelayControl } from '../relay.js';

const STORE_TOPIC = '$SYS/broker/store/messages/count';
/** How long the first connect waits for the store's first figure: a bit more than the broker's interval of 1 s. */
const BASELINE_WAIT_MS = 2_500;

export class MqttControl extends RelayControl implements TargetControl {
  readonly baseUrl: string;
  private client: Promise<MqttClient> | undefined;
  /** The store's latest figure and the one before the first phase, when the broker publishes it. */
  private stored: number | undefined;
  private baseline: number | undefined;
  private clients = 0;

  constructor(readonly url: string) {
    super('an MQTT broker');
    this.baseUrl = url;
  }

  async register(ids: readonly string[]): Promise<void> {
    // The subscribers open their sessions themselves; connecting now only has the publisher ready.
    this.clients = ids.length;
    await this.connected();
  }

  /** In order, as the others; MQTT keeps a topic's messages in the order they came. */
  protected async publishInOrder(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    const client = await this.connected();
    const acknowledged = specs.map(async (spec) => {
      const body = eventBody(spec);
      const topics = spec.to === 'all' ? [mqttBroadcastTopic(this.namespace)] : spec.to.map((id) => mqttClientTopic(this.namespace, id));
      await Promise.all(topics.map((topic) => client.publishAsync(topic, body, { qos: 1 })));
      return process.hrtime.bigint();
    });
    const times = await Promise.all(acknowledged);
    // The broker does not say how many subscribers a message reached: the schedule's addressees stand for it.
    return specs.map((spec, i) => ({ id: spec.index, recipients: spec.to === 'all' ? this.clients : spec.to.length, publishedAt: times[i]!.toString() }));
  }

  reset(): Promise<void> {
    this.namespace = newNamespace();
    return Promise.resolve();
  }

  dialect(): DialectSpec {
    return { adapter: 'broker', url: this.url, namespace: this.namespace };
  }

  held(): Promise<number | null> {
    if (this.stored === undefined || this.baseline === undefined) return Promise.resolve(null);
    return Promise.resolve(Math.max(0, this.stored - this.baseline));
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await (await client).endAsync().catch(() => undefined);
  }

  private connected(): Promise<MqttClient> {
    this.client ??= (async () => {
      const client = await connectAsync(this.url, { protocolVersion: 5, clientId: `push-bench-publisher-${newNamespace()}`, clean: true, reconnectPeriod: 0 });
      client.on('error', () => undefined);
      const first = new Promise<void>((resolve) => {
        client.on('message', (topic, payload) => {
          if (topic !== STORE_TOPIC) return;
          const count = Number(payload.toString());
          if (!Number.isFinite(count)) return;
          this.stored = count;
          this.baseline ??= count;
          resolve();
        });
      });
      await client.subscribeAsync(STORE_TOPIC, { qos: 0 });
      await Promise.race([first, new Promise((resolve) => setTimeout(resolve, BASELINE_WAIT_MS).unref())]);
      return client;
    })();
    return this.client;
  }
}
