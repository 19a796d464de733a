import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { serverOptionsFor, tlsContext } from '../helpers/tls.js';
import { servedModules, transportModule, type TransportName } from '../../src/transports/catalog.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import type { TransportClient } from '../../src/transports/types.js';
import { Cleanup, RecordingSink, seededRandom, sleep, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const CLIENTS = 20;
const EVENTS = 50;
const PAYLOAD_BYTES = 200;

async function post(server: RunningServer, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function publishBroadcasts(server: RunningServer, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await post(server, '/publish', { to: 'all', intended: String(process.hrtime.bigint()), payloadBytes: PAYLOAD_BYTES });
    if (i % 10 === 9) await sleep(5); // spread over a few poll intervals, as a paced publisher would
  }
}

interface Fleet {
  sink: RecordingSink;
  meter: SocketMeter;
  clients: TransportClient[];
}

async function startFleet(server: RunningServer, transport: TransportName, settings: unknown): Promise<Fleet> {
  const ids = Array.from({ length: CLIENTS }, (_, i) => `client-${i}`);
  await post(server, '/clients', { ids });
  const sink = new RecordingSink();
  const meter = new SocketMeter();
  const random = seededRandom(7);
  const module = transportModule(transport);
  const tls = await tlsContext(server);
  const clients = ids.map((clientId, clientIndex) =>
    module.createClient({ baseUrl: server.url, clientId, clientIndex, settings, sink, meter, random, ...tls }),
  );
  cleanup.track((list) => Promise.all(list.map((client) => client.stop())), clients);
  await Promise.all(clients.map((client) => client.start()));
  return { sink, meter, clients };
}

function expectEveryClientGotEverySeqOnceInOrder(sink: RecordingSink, events: number): void {
  const expected = Array.from({ length: events }, (_, i) => i + 1);
  for (let clientIndex = 0; clientIndex < CLIENTS; clientIndex++) expect(sink.seqs(clientIndex)).toEqual(expected);
  expect(sink.gaps).toEqual([]);
  expect(sink.failures).toEqual([]);
}

/**
 * Every transport of the catalog, as a scenario would write it: its defaults, except where a
 * default would make the test slow, plus the variants of a setting that change the wire.
 */
const SCENARIO_ENTRIES: Partial<Record<TransportName, Array<Record<string, unknown>>>> = {
  polling: [
    { interval: '50ms', mode: 'fixed' },
    { interval: '50ms', mode: 'chained' },
  ],
  'long-polling': [{ timeout: '5s' }],
  'sse-h2': [{}, { streamsPerConnection: 4 }],
  websocket: [{}, { compression: true }],
};
const cases: Array<[TransportName, unknown]> = servedModules().flatMap((module) => {
  const name = module.name as TransportName;
  return (SCENARIO_ENTRIES[name] ?? [{}]).map((entry): [TransportName, unknown] => [name, module.settings.parse(entry)]);
});

describe('simulated clients against the reference server', () => {
  it.each(cases)('%s %o: every client sinks every broadcast exactly once, in order', async (transport, settings) => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer(await serverOptionsFor(transport)));
    const fleet = await startFleet(server, transport, settings);
    expect(fleet.sink.connects).toHaveLength(CLIENTS);
    await publishBroadcasts(server, EVENTS);
    await waitFor(() => fleet.sink.totalEvents() >= CLIENTS * EVENTS, `${CLIENTS * EVENTS} deliveries`, 30_000);
    // A last broadcast as a marker: each client gets its events in order, so once every client
    // has the marker, any duplicate of an earlier event has arrived too.
    await publishBroadcasts(server, 1);
    await waitFor(() => fleet.sink.totalEvents() >= CLIENTS * (EVENTS + 1), 'the marker at every client', 30_000);
    expectEveryClientGotEverySeqOnceInOrder(fleet.sink, EVENTS + 1);
    const payload = CLIENTS * EVENTS * PAYLOAD_BYTES;
    const bytes = fleet.meter.snapshot();
    if ((settings as { compression?: boolean }).compression === true) {
      expect(bytes.down).toBeLessThan(payload); // 'x' * 200 deflates well: the meter sees wire bytes
    } else {
      expect(bytes.down).toBeGreaterThan(payload);
    }
    expect(bytes.up).toBeGreaterThan(CLIENTS * 100); // at least one request with headers each
    // One connection per client, kept alive; or one per streamsPerConnection clients, their streams multiplexed on it.
    expect(fleet.meter.trackedSockets).toBe(Math.ceil(CLIENTS / ((settings as { streamsPerConnection?: number }).streamsPerConnection ?? 1)));
    for (const event of fleet.sink.events.get(0) ?? []) {
      expect(event.payloadBytes).toBe(PAYLOAD_BYTES);
      expect(event.receivedNs).toBeGreaterThan(event.intendedNs);
    }
  });

  it('polling fixed at 100 ms: each client polls about once per interval, never more often', async () => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer());
    const fleet = await startFleet(server, 'polling', { intervalMs: 100, mode: 'fixed' });
    const before = fleet.sink.requests.length;
    const startedMs = performance.now();
    const perClient = () => {
      const counts = new Array<number>(CLIENTS).fill(0);
      for (const r of fleet.sink.requests.slice(before)) counts[r.clientIndex]!++;
      return counts;
    };
    await waitFor(() => Math.min(...perClient()) >= 6, 'six polls from every client');
    const elapsedMs = performance.now() - startedMs;
    const counts = perClient();
    // Ticks sit on each client's own grid, 100 ms apart: in elapsedMs a client has at most
    // elapsedMs / 100 + 1 of them. A loaded machine skips or delays ticks, never adds any.
    // (+1: a poll sent just before startedMs may be answered just after.)
    for (const count of counts) expect(count).toBeLessThanOrEqual(Math.floor(elapsedMs / 100) + 2);
    // Six polls span five intervals, but the first may have been sent before startedMs.
    expect(elapsedMs).toBeGreaterThanOrEqual(4 * 100 - 5);
    expect(fleet.sink.requests.every((r) => r.outcome === 'empty')).toBe(true);
  });
});
