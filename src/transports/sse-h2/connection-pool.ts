import { Client } from 'undici';
import { meteredTlsConnector } from '../http-connection.js';
import type { SharedConnection } from '../stream-client.js';
import type { ClientContext } from '../types.js';
import type { SseH2Settings } from './settings.js';

/** With heartbeats on, this many missed heartbeats mean the stream is dead (as StreamClient's own connections). */
const MISSED_HEARTBEATS = 3;

/** Open HTTP/2 connections of this process, by what makes them one: server, source address, group of clients. */
const pool = new Map<string, { client: Client; users: number }>();

/**
 * The HTTP/2 connection a client's stream rides on: clients g·n … g·n + n − 1 of a client process
 * (n = streamsPerConnection) share one, as the tabs of a browser share one connection per origin.
 * It is opened by the first of them and closed when the last lets go. Its TCP socket is metered
 * once, in the process's meter: a shared connection's bytes are the process's, never split up.
 */
export function sharedH2Connection(ctx: ClientContext<SseH2Settings>): SharedConnection {
  const tls = ctx.tls;
  if (!tls) throw new Error('sse-h2 needs the reference server’s TLS listener (ClientContext.tls)');
  const { streamsPerConnection: perConnection, heartbeatMs } = ctx.settings;
  const key = `${tls.baseUrl} ${ctx.localAddress ?? ''} ${perConnection} ${Math.floor(ctx.clientIndex / perConnection)}`;
  let entry = pool.get(key);
  if (!entry) {
    const client = new Client(tls.baseUrl, {
      allowH2: true,
      // undici runs at most `pipelining` streams at once on an HTTP/2 connection: every client's stream, and a chat message of each beside it.
      pipelining: 2 * perConnection,
      connect: meteredTlsConnector(ctx.meter, { ca: tls.ca, allowH2: true }),
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      headersTimeout: 30_000,
      // Without heartbeats a quiet stream is normal: no body timeout at all.
      bodyTimeout: heartbeatMs === null ? 0 : heartbeatMs * MISSED_HEARTBEATS,
      keepAliveTimeout: 600_000,
      keepAliveMaxTimeout: 600_000,
    });
    entry = { client, users: 0 };
    pool.set(key, entry);
  }
  const shared = entry;
  shared.users++;
  let released = false;
  return {
    client: shared.client,
    release: async () => {
      if (released) return;
      released = true;
      if (--shared.users > 0) return;
      pool.delete(key);
      await shared.client.destroy().catch(() => undefined);
    },
  };
}
