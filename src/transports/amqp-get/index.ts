/** AMQP get: a worker pulls its RabbitMQ queue with basic.get, a round every interval, like short polling. */
import { brokerFindings } from '../broker-link.js';
import type { TransportModule } from '../module.js';
import { createAmqpGetClient } from './client.js';
import { amqpGetSettings, type AmqpGetSettings } from './settings.js';

export const amqpGetTransport = {
  name: 'amqp-get',
  style: 'pull',
  summary: "basic.get on the client's own RabbitMQ queue every interval, until it answers empty; empty gets are empty answers.",
  settings: amqpGetSettings,
  createClient: createAmqpGetClient,
  broker: 'amqp',
  framed: false,
  // An event published at the end of the window waits up to one interval for the next round.
  rules: (workload) => brokerFindings(workload, 'amqp-get'),
  drainExtraMs: (settings) => settings.intervalMs,
} satisfies TransportModule<'amqp-get', AmqpGetSettings, never>;
