/**
 * Every transport of the catalog, taken offline (close and silent) while events are published, then
 * brought back: it resumes from its cursor, so nothing is lost when retention allows, and exactly
 * what the server dropped (its gap markers) when it does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer, type ServerOptionsInput } from '../../src/server/index.js';
import { servedModules, transportModule, type TransportName } from '../../src/transports/catalog.js';
import { OFFLINE_HOWS, type OfflineHow } from '../../src/transports/offline.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import type { TransportClient } from '../../src/transports/types.js';
import { Cleanup, RecordingSink, seededRandom, sleep, waitFor } from './helpers.js';
import { serverOptionsFor, tlsContext } from '../helpers/tls.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Settings that keep the test short: a fast poll, a short hold. */
const SETTINGS: Partial<Record<TransportName, Record<string, unknown>>> = { polling: { interval: '50ms' }, 'long-polling': { timeout: '5s' } };
const OFFLINE_MS = 500;

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const publish = (server: RunningServer) => post(server, '/publish', { to: 'all', intended: String(process.hrtime.bigint()), payloadBytes: 50 });

async function startClient(server: RunningServer, transport: TransportName, settings: Record<string, unknown> = SETTINGS[transport] ?? {}) {
  await post(server, '/clients', { ids: ['c0'] });
  const module = transportModule(transport);
  const sink = new RecordingSink();
  const meter = new SocketMeter();
  const client: TransportClient = module.createClient({
    baseUrl: server.url,
    clientId: 'c0',
    clientIndex: 0,
    settings: module.settings.parse(settings) as unknown,
    sink,
    meter,
    random: seededRandom(3),
    retry: { baseMs: 20, maxMs: 100, maxConsecutiveFailures: 5 },
    ...(await tlsContext(server)),
  });
  cleanup.track((c) => c.stop(), client);
  await client.start();
  return { client, sink, meter };
}

/** Online: `before` events, each seen; offline for OFFLINE_MS with `during` events published; back: `after` events. */
async function offlineEpisode(
  server: RunningServer,
  { client, sink, meter }: { client: TransportClient; sink: RecordingSink; meter: SocketMeter },
  how: OfflineHow,
  counts: { before: number; during: number },
) {
  for (let i = 0; i < counts.before; i++) {
    await publish(server);
    await waitFor(() => sink.totalEvents() === i + 1, `event ${i + 1} before going offline`, 5_000);
  }
  client.goOffline(how);
  // A request dispatched just before (a long poll re-sent on the last answer) may reach the socket a tick later.
  await sleep(20);
  const upAtDeparture = meter.snapshot().up;
  for (let i = 0; i < counts.during; i++) {
    await publish(server);
    await sleep(OFFLINE_MS / (2 * counts.during));
  }
  await sleep(OFFLINE_MS / 2);
  const seenWhileOffline = sink.totalEvents() - counts.before;
  const sentWhileOffline = meter.snapshot().up - upAtDeparture;
  const backAt = process.hrtime.bigint();
  client.comeBack();
  return { backAt, seenWhileOffline, sentWhileOffline };
}

const cases = servedModules().flatMap((module) => OFFLINE_HOWS.map((how): [TransportName, OfflineHow] => [module.name as TransportName, how]));

describe('a client that goes offline and comes back', () => {
  it.each(cases)('%s, %s: sees nothing while offline, then every event exactly once, in order', async (transport, how) => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer(await serverOptionsFor(transport)));
    const fixture = await startClient(server, transport);
    const { sink } = fixture;
    const { backAt, seenWhileOffline, sentWhileOffline } = await offlineEpisode(server, fixture, how, { before: 3, during: 10 });
    expect(seenWhileOffline).toBe(0);
    // Silent sends nothing at all; close sends at most its goodbye (a WebSocket close frame).
    if (how === 'silent') expect(sentWhileOffline).toBe(0);
    else expect(sentWhileOffline).toBeLessThan(40);
    await waitFor(() => sink.totalEvents() === 13, '13 events after the return', 10_000);
    await publish(server);
    await waitFor(() => sink.totalEvents() === 14, 'an event published after the return', 5_000);
    expect(sink.seqs()).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(sink.gaps).toEqual([]);
    // The missed events arrived after the return, not before.
    for (const event of sink.events.get(0)!.slice(3, 13)) expect(event.receivedNs).toBeGreaterThanOrEqual(backAt);
    expect(sink.failures.filter((f) => f.kind !== 'disconnect')).toEqual([]);
  });

  it.each(servedModules().map((module) => module.name as TransportName))(
    '%s: closed and back at once, before its connection has even closed: no failure, nothing lost',
    async (transport) => {
      const server = cleanup.track((s) => s.close(), await startReferenceServer(await serverOptionsFor(transport)));
      const { client, sink } = await startClient(server, transport);
      await publish(server);
      await waitFor(() => sink.totalEvents() === 1, 'the first event', 5_000);
      client.goOffline('close');
      client.comeBack();
      for (let i = 0; i < 3; i++) await publish(server);
      await waitFor(() => sink.totalEvents() === 4, '4 events', 10_000);
      await sleep(100);
      expect(sink.seqs()).toEqual([1, 2, 3, 4]);
      expect(sink.failures).toEqual([]);
    },
  );

  it.each(cases)('%s, %s, retention of 3 events: loses exactly what the server dropped, and says so', async (transport, how) => {
    const retention: ServerOptionsInput = { retention: { maxEventsPerClient: 3 } };
    const server = cleanup.track((s) => s.close(), await startReferenceServer({ ...retention, ...(await serverOptionsFor(transport)) }));
    const fixture = await startClient(server, transport);
    const { sink } = fixture;
    await offlineEpisode(server, fixture, how, { before: 3, during: 10 });
    // Caught up (the last of the 10 seen) before the next event, so that it cannot push one more out.
    await waitFor(() => sink.seqs().includes(13), 'the last event published while offline', 10_000);
    await publish(server);
    const total = 14;
    const gapped = () => sink.gaps.reduce((n, gap) => n + gap.to - gap.from + 1, 0);
    await waitFor(() => sink.seqs().includes(total), 'the event published after the return', 10_000);
    const seqs = sink.seqs();
    expect(new Set(seqs).size).toBe(seqs.length);
    // Every seq either arrived or was declared lost by a gap marker; none both, none neither.
    const lost = new Set(sink.gaps.flatMap((gap) => Array.from({ length: gap.to - gap.from + 1 }, (_, i) => gap.from + i)));
    for (let seq = 1; seq <= total; seq++) expect(seqs.includes(seq) !== lost.has(seq), `seq ${seq}`).toBe(true);
    // With close, nothing had left the server: all but the last 3 of the 10 are gone.
    if (how === 'close') expect(gapped()).toBe(7);
  });

  it('websocket, silent, with heartbeats: the server finds out by the missing pong, the client resumes with after=', async () => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer());
    const fixture = await startClient(server, 'websocket', { heartbeat: '100ms' });
    const { sink } = fixture;
    await offlineEpisode(server, fixture, 'silent', { before: 2, during: 5 });
    await waitFor(() => sink.totalEvents() === 7, '7 events after the return', 10_000);
    type Channel = { heartbeatTimeouts: number; heartbeatSilenceMsTotal: number; heartbeatSilenceMsMax: number };
    const stats = (await (await fetch(`${server.url}/stats`)).json()) as { transports: { websocket: Channel } };
    const { heartbeatTimeouts, heartbeatSilenceMsTotal, heartbeatSilenceMsMax } = stats.transports.websocket;
    expect(heartbeatTimeouts).toBe(1);
    // The last pong came at most one interval before the client went silent; the close one to two intervals after.
    expect(heartbeatSilenceMsMax).toBeGreaterThanOrEqual(95);
    expect(heartbeatSilenceMsMax).toBeLessThan(OFFLINE_MS);
    expect(heartbeatSilenceMsTotal).toBe(heartbeatSilenceMsMax);
    expect(sink.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sink.failures.map((f) => f.kind)).toEqual(['disconnect']);
  });
});
