/**
 * The push transports' bytes model against their sockets: events published one at a time to
 * clients held open on the reference server, the bytes the clients' sockets moved per delivered
 * event beside what the model says one event costs (TLS records and HTTP/2 frames for sse-h2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Workload } from '../../src/transports/module.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { servedModules, transportModule, type TransportName } from '../../src/transports/catalog.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import { serverOptionsFor } from '../helpers/tls.js';
import { Cleanup, RecordingSink, startClients, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const PAYLOAD_BYTES = 300;
const CLIENTS = 4;
/** Events before the measured ones, so that the measured seqs have the digits the model's workload gives them (11 … 70: two). */
const BEFORE = 10;
const MEASURED = 60;
/** Halfway through its window this workload's seq is 10/s × 5 s = 50: two digits, as the measured events have. */
const WORKLOAD: Workload = {
  ratePerClientPerS: 10,
  clients: CLIENTS,
  recipientShare: 1,
  arrival: 'poisson',
  durationMs: 10_000,
  phaseMs: 10_000,
  payloadBytes: PAYLOAD_BYTES,
  link: null,
  offline: null,
  warmupMs: 0,
  idleCutMs: null,
};

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  await response.body?.cancel();
}

async function fleet(transport: TransportName, settings: Record<string, unknown>) {
  const server = cleanup.track((s) => s.close(), await startReferenceServer(await serverOptionsFor(transport)));
  const ids = Array.from({ length: CLIENTS }, (_, i) => `w${i}`);
  await post(server, '/clients', { ids });
  const module = transportModule(transport);
  const sink = new RecordingSink();
  const meter = new SocketMeter();
  await startClients(cleanup, server, transport, ids, settings, { sink, meter });
  return { server, sink, meter, model: module.model?.(WORKLOAD, module.settings.parse(settings) as never)?.bytesPerDelivery ?? null };
}

/** One event to every client, once each has the one before: one write per event, as the model assumes. */
async function publishOneByOne(server: RunningServer, sink: RecordingSink, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const before = sink.totalEvents();
    await post(server, '/publish', { to: 'all', intended: String(process.hrtime.bigint()), payloadBytes: PAYLOAD_BYTES });
    await waitFor(() => sink.totalEvents() === before + CLIENTS, `event ${i + 1} at every client`, 5_000);
  }
}

const pushTransports = servedModules()
  .filter((module) => module.style === 'push')
  .map((module) => module.name as TransportName);
const cases: Array<[TransportName, Record<string, unknown>]> = [
  ...pushTransports.map((name): [TransportName, Record<string, unknown>] => [name, {}]),
  ['sse-h2', { streamsPerConnection: 4 }],
];

describe('bytes per delivery: the model against the sockets', () => {
  it.each(cases)('%s %j: one event on the socket, as modelled', async (transport, settings) => {
    const { server, sink, meter, model } = await fleet(transport, settings);
    await publishOneByOne(server, sink, BEFORE);
    const start = meter.snapshot();
    await publishOneByOne(server, sink, MEASURED);
    const end = meter.snapshot();
    const measured = (end.up - start.up + end.down - start.down) / (MEASURED * CLIENTS);
    expect(model).not.toBeNull();
    // What is left out (HTTP/2's WINDOW_UPDATEs, a TCP segment's worth of nothing) is a byte or two per event.
    expect(measured / model!, `measured ${measured} B, model ${model} B`).toBeGreaterThan(0.97);
    expect(measured / model!, `measured ${measured} B, model ${model} B`).toBeLessThan(1.03);
  });

  it('sse-h2 costs 31 bytes an event more than its SSE text: a 9-byte HTTP/2 frame header in a 22-byte TLS 1.3 record', async () => {
    const plain = await fleet('sse', {});
    const secure = await fleet('sse-h2', {});
    const perEvent = async ({ server, sink, meter }: Awaited<ReturnType<typeof fleet>>) => {
      await publishOneByOne(server, sink, BEFORE);
      const start = meter.snapshot().down;
      await publishOneByOne(server, sink, MEASURED);
      return (meter.snapshot().down - start) / (MEASURED * CLIENTS);
    };
    const sse = await perEvent(plain);
    const sseH2 = await perEvent(secure);
    // sse's chunk framing of a 3-hex-digit chunk is 7 bytes; sse-h2 replaces it with 31.
    expect(sseH2 - sse).toBeCloseTo(31 - 7, 0);
  });
});
