import { connect as connectH2 } from 'node:http2';
import { createParser } from 'eventsource-parser';
import type { RunningServer } from '../../src/server/index.js';
import { getJson, LineStreamClient, SseClient, sleep, WsClient, type Gap, type PollBody, type WireEvent } from './helpers.js';
import { testCertificate } from '../helpers/tls.js';
export { serverOptionsFor } from '../helpers/tls.js';

import { servedModules, type ServedTransportName } from '../../src/transports/catalog.js';

/** The transports the reference server serves: those a receiver speaks to. */
export const TRANSPORT_NAMES = servedModules().map((module) => module.name as ServedTransportName);
export type TransportName = ServedTransportName;

/** One simulated client of any transport, collecting what it receives. */
export interface Receiver {
  readonly events: WireEvent[];
  readonly gaps: Gap[];
  stop(): void;
}

/**
 * Starts a receiver for `client`. Pollers loop until stopped (bounded by `deadlineMs`);
 * streams are open once this resolves.
 */
export function startReceiver(server: RunningServer, transport: TransportName, client: string, after = 0, deadlineMs = 30_000): Promise<Receiver> {
  return RECEIVERS[transport](server, client, after, deadlineMs);
}

/**
 * A wire-level receiver per transport of the catalog, written against docs/protocol.md rather
 * than with push-bench's own clients: a transport added to the catalog without one here does
 * not compile.
 */
const RECEIVERS: Record<ServedTransportName, (server: RunningServer, client: string, after: number, deadlineMs: number) => Promise<Receiver>> = {
  polling: (server, client, after, deadlineMs) => Promise.resolve(startPoller(server, 'polling', client, after, deadlineMs)),
  'long-polling': (server, client, after, deadlineMs) => Promise.resolve(startPoller(server, 'long-polling', client, after, deadlineMs)),
  sse: async (server, client, after) => {
    const sse = await SseClient.open(`${server.url}/sse?client=${client}&after=${after}`);
    if (sse.status !== 200) throw new Error(`sse status ${sse.status}`);
    return { events: sse.events, gaps: sse.gaps, stop: () => sse.close() };
  },
  'sse-h2': (server, client, after) => startH2Sse(server, client, after),
  'http-stream': async (server, client, after) => {
    const stream = await LineStreamClient.open(`${server.url}/stream?client=${client}&after=${after}`);
    if (stream.res?.statusCode !== 200) throw new Error(`http-stream status ${stream.res?.statusCode}`);
    return { events: stream.events, gaps: stream.gaps, stop: () => stream.close() };
  },
  websocket: async (server, client, after) => {
    const ws = await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=${client}&after=${after}`);
    return { events: ws.events, gaps: ws.gaps, stop: () => ws.close() };
  },
};

/** SSE over HTTP/2 on the server's TLS listener, read with node:http2 (a session per receiver). */
async function startH2Sse(server: RunningServer, client: string, after: number): Promise<Receiver> {
  if (!server.secureUrl) throw new Error('sse-h2 needs a server started with serverOptionsFor("sse-h2")');
  const { ca } = await testCertificate();
  const session = connectH2(server.secureUrl, { ca });
  session.on('error', () => undefined);
  const events: WireEvent[] = [];
  const gaps: Gap[] = [];
  const parser = createParser({
    onEvent: (e) => (e.event === 'gap' ? gaps.push(JSON.parse(e.data) as Gap) : events.push(JSON.parse(e.data) as WireEvent)),
  });
  const stream = session.request({ ':path': `/sse?client=${client}&after=${after}`, accept: 'text/event-stream' });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => parser.feed(chunk));
  stream.on('error', () => undefined);
  const status = await new Promise<number>((resolve, reject) => {
    stream.once('response', (headers) => resolve(Number(headers[':status'])));
    stream.once('error', reject);
  });
  if (status !== 200) throw new Error(`sse-h2 status ${status}`);
  return { events, gaps, stop: () => session.destroy() };
}

function startPoller(server: RunningServer, transport: 'polling' | 'long-polling', client: string, after: number, deadlineMs: number): Receiver {
  const events: WireEvent[] = [];
  const gaps: Gap[] = [];
  let stopped = false;
  const deadline = Date.now() + deadlineMs;
  const path = transport === 'polling' ? 'poll' : 'long-poll';
  void (async () => {
    let cursor = after;
    while (!stopped && Date.now() < deadline) {
      const suffix = transport === 'long-polling' ? '&timeout=2000' : '';
      const { status, json } = await getJson(`${server.url}/${path}?client=${client}&after=${cursor}${suffix}`).catch(() => ({ status: 0, json: undefined }));
      if (status === 200) {
        const body = json as PollBody;
        if (body.gap) gaps.push(body.gap);
        events.push(...body.events);
        cursor = body.next;
        if (body.events.length === 0 && transport === 'polling') await sleep(20);
      } else if (status !== 204) {
        await sleep(50);
      }
    }
  })();
  return { events, gaps, stop: () => (stopped = true) };
}
