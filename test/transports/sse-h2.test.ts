/**
 * SSE over HTTP/2 against the reference server's TLS listener: streams multiplexed on shared
 * connections, resume after the whole connection drops, heartbeats, refusals, and chat messages
 * sent as streams beside the subscriptions.
 */
import type { Socket } from 'node:net';
import { Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer, type ServerOptionsInput, type StatsSnapshot } from '../../src/server/index.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import { testCertificate } from '../helpers/tls.js';
import { Cleanup, RecordingSink, sleep, startClients, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A meter that also keeps the sockets, so that a test can cut one. */
class KeepingMeter extends SocketMeter {
  readonly sockets: Socket[] = [];
  override track(socket: Socket): void {
    this.sockets.push(socket);
    super.track(socket);
  }
}

async function tlsServer(options: ServerOptionsInput = {}): Promise<RunningServer> {
  const { key, cert } = await testCertificate();
  return cleanup.track((s) => s.close(), await startReferenceServer({ ...options, tls: { key, cert } }));
}

async function post(server: RunningServer, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

const stats = async (server: RunningServer) => (await (await fetch(`${server.url}/stats`)).json()) as StatsSnapshot;

async function fleet(server: RunningServer, count: number, settings: Record<string, unknown>) {
  const ids = Array.from({ length: count }, (_, i) => `h${i}`);
  await post(server, '/clients', { ids });
  const sink = new RecordingSink();
  const meter = new KeepingMeter();
  const clients = await startClients(cleanup, server, 'sse-h2', ids, settings, { sink, meter });
  return { ids, sink, meter, clients };
}

const broadcast = (server: RunningServer, n: number) =>
  post(
    server,
    '/publish',
    Array.from({ length: n }, () => ({ to: 'all', payloadBytes: 40 })),
  );

describe('sse-h2', () => {
  it.each(['close', 'silent'] as const)(
    'takes one client of a shared connection offline (%s): the others read on, it catches up at its return',
    async (how) => {
      const server = await tlsServer();
      const { sink, meter, clients } = await fleet(server, 3, { streamsPerConnection: 3 });
      await broadcast(server, 2);
      await waitFor(() => sink.totalEvents() === 6, 'two events each');
      clients[1]!.goOffline(how);
      await broadcast(server, 3);
      await waitFor(() => sink.seqs(0).length === 5 && sink.seqs(2).length === 5, 'the other two clients to read on');
      await sleep(100);
      expect(sink.seqs(1)).toEqual([1, 2]);
      clients[1]!.comeBack();
      await waitFor(() => sink.seqs(1).length === 5, 'the events it missed, after its return');
      await broadcast(server, 1);
      await waitFor(() => sink.totalEvents() === 18, 'an event after the return, at each');
      for (let i = 0; i < 3; i++) expect(sink.seqs(i)).toEqual([1, 2, 3, 4, 5, 6]);
      // Its stream went (RST_STREAM) or paused, never the connection the others hold.
      expect(meter.trackedSockets).toBe(1);
      expect(sink.failures.filter((f) => f.clientIndex !== 1)).toEqual([]);
      expect((await stats(server)).transports['sse-h2'].sockets).toBe(1);
    },
  );

  it('multiplexes streamsPerConnection clients on one HTTP/2 connection, each getting every event once', async () => {
    const server = await tlsServer();
    const { sink, meter } = await fleet(server, 8, { streamsPerConnection: 4 });
    await broadcast(server, 5);
    await waitFor(() => sink.totalEvents() === 40, '5 events at each of 8 clients');
    for (let i = 0; i < 8; i++) expect(sink.seqs(i)).toEqual([1, 2, 3, 4, 5]);
    expect(meter.trackedSockets).toBe(2);
    const s = await stats(server);
    expect(s.transports['sse-h2'].open).toBe(8);
    expect(s.transports['sse-h2'].sockets).toBe(2);
    expect(s.transports.sse.open).toBe(0);
    // What the server wrote on those two connections is what the clients read: TLS records, HTTP/2 frames and all.
    await waitFor(async () => (await stats(server)).transports['sse-h2'].bytesWritten === meter.snapshot().down, 'both sides to count the same bytes');
  });

  it('resumes every stream with Last-Event-ID when the shared connection drops', async () => {
    const server = await tlsServer();
    const { sink, meter } = await fleet(server, 3, { streamsPerConnection: 3 });
    await broadcast(server, 2);
    await waitFor(() => sink.totalEvents() === 6, 'two events each');
    meter.sockets[0]!.destroy();
    await broadcast(server, 3);
    await waitFor(() => sink.totalEvents() === 15, 'the events published while the connection was down, after the resume', 10_000);
    for (let i = 0; i < 3; i++) expect(sink.seqs(i)).toEqual([1, 2, 3, 4, 5]);
    // Each client saw its stream drop. A first reconnect may still meet undici's HTTP/2 client
    // tidying up the cut session and fail (a request failure); the retry after it resumes.
    for (let i = 0; i < 3; i++)
      expect(
        sink.failures.some((f) => f.clientIndex === i && f.kind === 'disconnect'),
        `client ${i}`,
      ).toBe(true);
    expect(sink.failures.filter((f) => f.kind !== 'disconnect' && f.kind !== 'request')).toEqual([]);
    expect(meter.trackedSockets).toBeGreaterThanOrEqual(2);
  });

  it('keeps an idle stream alive with heartbeats, counted by the server', async () => {
    const server = await tlsServer();
    const { sink } = await fleet(server, 1, { heartbeat: '100ms' });
    await waitFor(async () => (await stats(server)).transports['sse-h2'].heartbeats >= 3, 'three heartbeats');
    expect(sink.failures).toEqual([]);
    await broadcast(server, 1);
    await waitFor(() => sink.totalEvents() === 1, 'an event after the heartbeats');
  });

  it('refuses a bad request on the TLS listener with a 4xx, over HTTP/2 too', async () => {
    const server = await tlsServer();
    const { ca } = await testCertificate();
    const h2 = cleanup.track((c) => c.destroy(), new Client(server.secureUrl!, { allowH2: true, connect: { ca } }));
    const bad = await h2.request({ method: 'GET', path: '/sse?client=not%20valid' });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as { parameter: string }).parameter).toBe('client');
    const unknown = await h2.request({ method: 'GET', path: '/sse?client=nobody' });
    expect(unknown.statusCode).toBe(404);
    await unknown.body.dump();
  });

  it('sends a chat message as a stream beside the subscriptions on the same connection', async () => {
    const server = await tlsServer();
    const { sink, meter, clients } = await fleet(server, 2, { streamsPerConnection: 2 });
    await post(server, '/rooms', { rooms: { r0: ['h0', 'h1'] } });
    const intendedNs = process.hrtime.bigint();
    const receipt = await clients[0]!.send({ room: 'r0', intendedNs, text: 'hello' });
    expect(receipt.recipients).toBe(1);
    await waitFor(() => sink.totalEvents() === 1, 'the message at the other member');
    expect(sink.events.get(1)![0]!.intendedNs).toBe(intendedNs);
    expect(sink.seqs(0)).toEqual([]);
    expect(meter.trackedSockets).toBe(1);
  });
});
