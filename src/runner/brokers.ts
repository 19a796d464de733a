/**
 * The message brokers push-bench speaks to, one entry each: the program it starts for a run
 * (or the user's own, --broker URL), and the runner's side of it. A transport names the kind of
 * broker it needs (TransportModule.broker).
 */
import { connect } from 'amqplib';
import { connectAsync } from 'mqtt';
import type { TargetControl } from '../targets/control.js';
import { AmqpControl } from '../targets/amqp/control.js';
import { MqttControl } from '../targets/mqtt/control.js';
import type { BrokerKind } from '../transports/module.js';
import type { BrokerProcess } from './broker-process.js';
import { mosquittoMissing, startMosquitto } from './mosquitto-process.js';
import { rabbitmqMissing, startRabbitmq } from './rabbitmq-process.js';

export interface Broker {
  kind: BrokerKind;
  /** The program push-bench starts, e.g. RabbitMQ. */
  program: string;
  /** The URL schemes of the user's own broker of this kind. */
  schemes: readonly string[];
  /** Why the program cannot be started here (with the install command), or null. */
  missing(): string | null;
  start(): Promise<BrokerProcess>;
  /** Starting it and stopping it again, ms: an estimate for the run's planned wall time (measured on a 2-core machine). */
  startStopMs: number;
  control(url: string): TargetControl;
  /** Connects to the user's broker once (and leaves): rejects with why it cannot. */
  probe(url: string): Promise<void>;
}

/** How long a probe of the user's broker waits: a broker that takes longer will not carry a run. */
const PROBE_TIMEOUT_MS = 5_000;

const BROKERS: readonly Broker[] = [
  {
    kind: 'amqp',
    program: 'RabbitMQ',
    schemes: ['amqp:'],
    missing: rabbitmqMissing,
    start: startRabbitmq,
    // Ready in 4.5–4.9 s, stopped in 1.1 s.
    startStopMs: 6_000,
    control: (url) => new AmqpControl(url),
    probe: async (url) => (await connect(url, { timeout: PROBE_TIMEOUT_MS })).close(),
  },
  {
    kind: 'mqtt',
    program: 'Mosquitto',
    schemes: ['mqtt:'],
    missing: mosquittoMissing,
    start: startMosquitto,
    // Ready in 0.1–0.2 s, stopped in 0.03 s.
    startStopMs: 250,
    control: (url) => new MqttControl(url),
    probe: async (url) => (await connectAsync(url, { connectTimeout: PROBE_TIMEOUT_MS, reconnectPeriod: 0 })).endAsync(),
  },
];

export function brokerOfKind(kind: BrokerKind): Broker {
  return BROKERS.find((broker) => broker.kind === kind)!;
}

/** A --broker URL, read: its kind and the URL; a RangeError says what is wrong and what to write. */
export function parseBrokerUrl(text: string): { kind: BrokerKind; url: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError('this is not a URL; write e.g. amqp://guest:guest@127.0.0.1:5672 or mqtt://127.0.0.1:1883');
  }
  const broker = BROKERS.find((b) => b.schemes.includes(url.protocol));
  if (!broker) {
    const schemes = BROKERS.flatMap((b) => b.schemes.map((scheme) => `${scheme}// (${b.program})`)).join(', ');
    throw new RangeError(`push-bench speaks to brokers at ${schemes}, not ${url.protocol}`);
  }
  if (url.pathname !== '' && url.pathname !== '/' && broker.kind === 'mqtt')
    throw new RangeError("give the broker's address without a path, e.g. mqtt://127.0.0.1:1883");
  return { kind: broker.kind, url: text.replace(/\/+$/, '') };
}
