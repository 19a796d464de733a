/**
 * The wire between the publisher and the server processes of a sharded run, when it is a real
 * Redis or NATS server: one channel (subject) per run, every server process subscribed, each
 * message one publish batch as POST /publish takes it. Redis pub/sub and NATS core both keep a
 * publisher's order towards each subscriber, so every process appends events in publish order.
 */
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';

export interface BackplaneSpec {
  kind: 'redis' | 'nats';
  /** redis://127.0.0.1:PORT or nats://127.0.0.1:PORT */
  url: string;
  /** Redis channel or NATS subject. */
  channel: string;
}

export interface BackplanePublisher {
  /** Resolves once the backplane has the message: with the number of subscribers it went to (Redis), or null (NATS does not say). */
  publish(message: string): Promise<number | null>;
  close(): Promise<void>;
}

/** Subscribes `onMessage` to the channel; resolves once the backplane has the subscription, so no later publish is missed. */
export async function subscribeBackplane(spec: BackplaneSpec, onMessage: (message: string) => void): Promise<{ close(): Promise<void> }> {
  if (spec.kind === 'redis') {
    const redis = new Redis(spec.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    await redis.connect();
    redis.on('message', (_channel: string, message: string) => onMessage(message));
    await redis.subscribe(spec.channel);
    return { close: () => Promise.resolve(redis.disconnect()) };
  }
  const nats = await connect({ servers: spec.url, reconnect: false });
  const decoder = new TextDecoder();
  nats.subscribe(spec.channel, { callback: (error, message) => error === null && onMessage(decoder.decode(message.data)) });
  // The server has the subscription once it answered a ping sent after it.
  await nats.flush();
  return { close: () => closeNats(nats) };
}

export async function backplanePublisher(spec: BackplaneSpec): Promise<BackplanePublisher> {
  if (spec.kind === 'redis') {
    const redis = new Redis(spec.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    await redis.connect();
    return {
      publish: (message) => redis.publish(spec.channel, message),
      close: () => Promise.resolve(redis.disconnect()),
    };
  }
  const nats = await connect({ servers: spec.url, reconnect: false });
  const encoder = new TextEncoder();
  return {
    publish: async (message) => {
      nats.publish(spec.channel, encoder.encode(message));
      // NATS core publishes are fire-and-forget: a ping's answer says the server has read (and routed) the message.
      await nats.flush();
      return null;
    },
    close: () => closeNats(nats),
  };
}

async function closeNats(nats: NatsConnection): Promise<void> {
  if (!nats.isClosed()) await nats.close();
}
