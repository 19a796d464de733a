/**
 * Where a broker transport's clients find their messages, and the names both sides give them:
 * the runner's side (src/targets/brokers/) declares and publishes to them, a client consumes or
 * subscribes. Every phase has a namespace of its own, so nothing of an earlier phase can reach it.
 *
 * - AMQP: a queue per client, `<namespace>.<client id>`, and a fanout exchange `<namespace>.all`
 *   bound to every one of them: an event to named clients goes to their queues (the default
 *   exchange), an event to `all` to the fanout, and each queue holds its client's messages in
 *   publish order, whether the client is there or not.
 * - MQTT: a topic per client, `<namespace>/<client id>`, and `<namespace>/all` for events to all.
 *
 * A message is the publisher's event `{id, t, p}`, with its schedule ordinal as its id: brokers
 * have no per-client sequence, so a client turns the ordinal into its seq (`seqOf`), and loss,
 * duplicates and order are counted exactly as for the wire contract.
 */
import type { SeqOf } from './events.js';
import type { TransportFinding, Workload } from './module.js';
import type { ClientContext } from './types.js';

export interface BrokerLink {
  /** e.g. amqp://guest:guest@127.0.0.1:5672 or mqtt://127.0.0.1:1883 */
  url: string;
  namespace: string;
  seqOf: SeqOf;
}

export const amqpQueue = (namespace: string, clientId: string): string => `${namespace}.${clientId}`;
export const amqpBroadcastExchange = (namespace: string): string => `${namespace}.all`;
export const mqttClientTopic = (namespace: string, clientId: string): string => `${namespace}/${clientId}`;
export const mqttBroadcastTopic = (namespace: string): string => `${namespace}/all`;

/** A broker's clients only receive: a chat needs the reference server's rooms (a scenario rule says so first). */
export function noChatOnBrokers(transport: string): Promise<never> {
  return Promise.reject(new Error(`${transport} clients only receive: a chat runs against the reference server`));
}

/** The broker of a broker transport's client; a client made without one is a wiring error. */
export function brokerOf(ctx: ClientContext<unknown>, transport: string): BrokerLink {
  if (!ctx.broker) throw new Error(`${transport} needs a broker: the runner gives its clients one (ClientContext.broker)`);
  return ctx.broker;
}

/** What no broker transport runs under yet: the shaping proxy and the intermediaries stand in front of the reference server only. */
export function brokerFindings(workload: Workload, transport: string): TransportFinding[] {
  if (workload.link === null && workload.idleCutMs === null) return [];
  return [
    {
      severity: 'error',
      path: [],
      message: `${transport} connects straight to its broker: the shaping proxy and intermediaries are not in front of brokers yet; run it without network and intermediary, or leave it out`,
    },
  ];
}
