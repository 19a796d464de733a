/**
 * The broker transports' real clients against a real RabbitMQ and Mosquitto started by the test,
 * published to by the runner's own controls: every message accounted for, empty gets counted,
 * the prefetch window honoured, and what a consumer away missed handed over on its return.
 */
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerProcess } from '../../src/runner/broker-process.js';
import { mosquittoMissing, startMosquitto } from '../../src/runner/mosquitto-process.js';
import { rabbitmqMissing, startRabbitmq } from '../../src/runner/rabbitmq-process.js';
import { AmqpControl } from '../../src/targets/amqp/control.js';
import { MqttControl } from '../../src/targets/mqtt/control.js';
import type { PublishSpec, TargetControl } from '../../src/targets/control.js';
import { amqpQueue } from '../../src/transports/broker-link.js';
import { transportModule } from '../../src/transports/catalog.js';
import { ConsumeGate } from '../../src/transports/consume-gate.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import type { ClientContext, TransportClient } from '../../src/transports/types.js';
import { Cleanup, RecordingSink, seededRandom, waitFor } from '../transports/helpers.js';

const skipRabbit = rabbitmqMissing() !== null && !process.env.CI;
const skipMosquitto = mosquittoMissing() !== null && !process.env.CI;

/** Every event to every client: client i's seq of event k is k + 1. */
const seqOf = (_client: number, id: number) => id + 1;

function specs(from: number, count: number, to: PublishSpec['to']): PublishSpec[] {
  return Array.from({ length: count }, (_, i) => ({ index: from + i, to, intended: String(process.hrtime.bigint()), payloadBytes: 50 }));
}

async function clientsOf(
  cleanup: Cleanup,
  control: TargetControl,
  transport: string,
  entry: Record<string, unknown>,
  count: number,
  sink: RecordingSink,
  gate?: ConsumeGate,
): Promise<{ clients: TransportClient[]; meter: SocketMeter }> {
  const ids = Array.from({ length: count }, (_, i) => `c${i}`);
  await control.reset();
  await control.register(ids);
  const spec = control.dialect();
  if (spec?.adapter !== 'broker') throw new Error('not a broker');
  const module = transportModule(transport);
  const settings: unknown = module.settings.parse(entry);
  const meter = new SocketMeter();
  const clients = ids.map((clientId, clientIndex) => {
    const ctx: ClientContext<unknown> = {
      baseUrl: spec.url,
      clientId,
      clientIndex,
      settings,
      sink: gate ? gate.wrap(sink) : sink,
      meter,
      random: seededRandom(clientIndex + 1),
      broker: { url: spec.url, namespace: spec.namespace, seqOf },
      ...(gate ? { consume: gate } : {}),
    };
    return module.createClient(ctx);
  });
  cleanup.track((list) => Promise.all(list.map((client) => client.stop())), clients);
  await Promise.all(clients.map((client) => client.start()));
  return { clients, meter };
}

const seqsOf = (sink: RecordingSink, client: number) => sink.seqs(client);
const outcomes = (sink: RecordingSink, outcome: string) => sink.requests.filter((r) => r.outcome === outcome).length;

/** A broker started for a describe block, and the runner's side of it; both stopped after it, with every client the block left. */
function brokerFixture<C extends TargetControl>(start: () => Promise<BrokerProcess>, controlOf: (url: string) => C, startTimeoutMs: number) {
  const fixture = { cleanup: new Cleanup() } as { cleanup: Cleanup; broker: BrokerProcess; control: C };
  beforeAll(async () => {
    fixture.broker = await start();
    fixture.control = controlOf(fixture.broker.url);
  }, startTimeoutMs);
  afterAll(async () => {
    await fixture.cleanup.run();
    await (fixture.control as C | undefined)?.close();
    await (fixture.broker as BrokerProcess | undefined)?.stop();
  }, 30_000);
  return fixture;
}

describe.skipIf(skipRabbit)('amqp-consume and amqp-get on a real RabbitMQ', () => {
  const rabbit = brokerFixture(startRabbitmq, (url) => new AmqpControl(url), 90_000);

  it.each(['amqp-consume', 'amqp-get'])(
    '%s: every event to all and to one, each once, in order, bytes from the socket',
    async (transport) => {
      const sink = new RecordingSink();
      const { meter } = await clientsOf(rabbit.cleanup, rabbit.control, transport, transport === 'amqp-get' ? { interval: '50ms' } : {}, 3, sink);
      await rabbit.control.publish(specs(0, 20, 'all'));
      await rabbit.control.publish(specs(20, 1, ['c1']));
      // Client 1 also gets event 20; its seq is 21 there, by the test's seqOf.
      await waitFor(() => sink.totalEvents() === 61, 'every delivery');
      for (const client of [0, 2]) expect(seqsOf(sink, client)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(seqsOf(sink, 1)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(sink.failures).toEqual([]);
      // At least the messages' bodies came over the clients' sockets, and the AMQP framing on top.
      expect(meter.snapshot().down).toBeGreaterThan(61 * 100);
      await rabbit.cleanup.run();
    },
    60_000,
  );

  it('amqp-get: a get that finds the queue empty is an empty answer', async () => {
    const sink = new RecordingSink();
    await clientsOf(rabbit.cleanup, rabbit.control, 'amqp-get', { interval: '50ms' }, 1, sink);
    await waitFor(() => outcomes(sink, 'empty') >= 3, 'empty gets');
    expect(outcomes(sink, 'events')).toBe(0);
    await rabbit.control.publish(specs(0, 2, 'all'));
    await waitFor(() => outcomes(sink, 'events') === 2, 'two gets that brought a message');
    await rabbit.cleanup.run();
  }, 30_000);

  it('amqp-consume: a slow consumer holds no more than the prefetch unacknowledged; the broker keeps the rest ready', async () => {
    const queueOf = (namespace: string) => amqpQueue(namespace, 'c0');
    const sink = new RecordingSink();
    // Two events a second: the 30 published take 15 s to get through, far longer than the test looks.
    await clientsOf(rabbit.cleanup, rabbit.control, 'amqp-consume', { prefetch: 3, ack: 'manual' }, 1, sink, new ConsumeGate({ unit: 'events', perSecond: 2 }));
    const spec = rabbit.control.dialect() as { namespace: string };
    await rabbit.control.publish(specs(0, 30, 'all'));
    const peek = await connect(rabbit.broker.url);
    const channel = await peek.createChannel();
    // Ready = 30 − (in flight ≤ prefetch) − acknowledged (≤ 2 a second): after a second, at least 30 − 3 − 4.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ready = (await channel.checkQueue(queueOf(spec.namespace))).messageCount;
    expect(ready).toBeGreaterThanOrEqual(23);
    expect(ready).toBeLessThanOrEqual(27);
    await peek.close();
    await rabbit.cleanup.run();
  }, 30_000);

  it('amqp-consume: a consumer that goes away gets, on its return, what its queue held meanwhile', async () => {
    const sink = new RecordingSink();
    // Acks off: with them, an ack still on its way when the connection closes sends its message back to the queue (a duplicate on return, rightly counted, but not this test's point).
    const { clients } = await clientsOf(rabbit.cleanup, rabbit.control, 'amqp-consume', { ack: 'auto' }, 1, sink);
    await rabbit.control.publish(specs(0, 5, 'all'));
    await waitFor(() => sink.totalEvents() === 5, 'the first five');
    clients[0]!.goOffline('close');
    // The close takes a moment: a message the broker pushed to the consumer before it was gone
    // would be acknowledged on sending (auto-ack) and never held, so publish once it is gone.
    const spec = rabbit.control.dialect() as { namespace: string };
    const peek = await connect(rabbit.broker.url);
    const channel = await peek.createChannel();
    await waitFor(async () => (await channel.checkQueue(amqpQueue(spec.namespace, 'c0'))).consumerCount === 0, 'the consumer gone');
    await peek.close();
    await rabbit.control.publish(specs(5, 5, 'all'));
    await waitFor(async () => (await rabbit.control.held()) === 5, 'the queue holding the five sent while away');
    expect(sink.totalEvents()).toBe(5);
    clients[0]!.comeBack();
    await waitFor(() => sink.totalEvents() === 10, 'the five held, delivered on return');
    expect(seqsOf(sink, 0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await rabbit.cleanup.run();
  }, 30_000);
});

describe.skipIf(skipMosquitto)('mqtt on a real Mosquitto', () => {
  const mosquitto = brokerFixture(startMosquitto, (url) => new MqttControl(url), 30_000);

  it.each([0, 1])(
    'QoS %i: every event to all and to one, each once, in order',
    async (qos) => {
      const sink = new RecordingSink();
      await clientsOf(mosquitto.cleanup, mosquitto.control, 'mqtt', { qos }, 3, sink);
      await mosquitto.control.publish(specs(0, 20, 'all'));
      await mosquitto.control.publish(specs(20, 1, ['c1']));
      await waitFor(() => sink.totalEvents() === 61, 'every delivery');
      for (const client of [0, 2]) expect(seqsOf(sink, client)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(seqsOf(sink, 1)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(sink.failures).toEqual([]);
      await mosquitto.cleanup.run();
    },
    30_000,
  );

  it.each([
    ['persistent', 10],
    ['clean', 5],
  ] as const)(
    'a %s session: what was sent while the client was away is %i of 10 seen',
    async (session, seen) => {
      const sink = new RecordingSink();
      const { clients } = await clientsOf(mosquitto.cleanup, mosquitto.control, 'mqtt', { qos: 1, session }, 1, sink);
      await mosquitto.control.publish(specs(0, 5, 'all'));
      await waitFor(() => sink.totalEvents() === 5, 'the first five');
      clients[0]!.goOffline('close');
      // The disconnect reaches the broker before the next messages do: it is on its way before they are published.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await mosquitto.control.publish(specs(5, 5, 'all'));
      clients[0]!.comeBack();
      await waitFor(() => outcomes(sink, 'events') === 2, 'the second connect');
      if (seen === 10) await waitFor(() => sink.totalEvents() === 10, 'the five held, delivered on return');
      else await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sink.totalEvents()).toBe(seen);
      await mosquitto.cleanup.run();
    },
    30_000,
  );
});
