/** AMQP consume: RabbitMQ pushes each message to a consumer over its held connection, a prefetch window at a time. */
import { brokerFindings } from '../broker-link.js';
import type { TransportModule } from '../module.js';
import { createAmqpConsumeClient } from './client.js';
import { amqpConsumeSettings, type AmqpConsumeSettings } from './settings.js';

export const amqpConsumeTransport = {
  name: 'amqp-consume',
  style: 'push',
  summary: "basic.consume on the client's own RabbitMQ queue: the broker pushes up to `prefetch` unacknowledged messages.",
  settings: amqpConsumeSettings,
  createClient: createAmqpConsumeClient,
  broker: 'amqp',
  framed: false,
  rules: (workload) => brokerFindings(workload, 'amqp-consume'),
  drainExtraMs: () => 0,
} satisfies TransportModule<'amqp-consume', AmqpConsumeSettings, never>;
