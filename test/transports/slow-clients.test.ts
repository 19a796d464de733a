/**
 * Clients that fall behind, against the real reference server: a client consuming 20 events/s
 * while 100/s are published to it. Push transports must hold the socket unread (the server
 * then feels TCP backpressure); pull transports must simply ask later (the server keeps the
 * events). Bounds are loose: the machine is shared.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer, type StatsSnapshot } from '../../src/server/index.js';
import { transportModule, type TransportName } from '../../src/transports/catalog.js';
import { withConsumeLimit, type ConsumeLimit } from '../../src/transports/consume-gate.js';
import { Cleanup, makeContext, sleep, waitFor, type SeenEvent } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const CONSUME_PER_S = 20;
const PUBLISH_PER_S = 100;

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

async function stats(server: RunningServer): Promise<StatsSnapshot> {
  return (await (await fetch(`${server.url}/stats`)).json()) as StatsSnapshot;
}

/** `count` events to client c1 at PUBLISH_PER_S, each stamped with its intended time. */
async function publish(server: RunningServer, count: number, payloadBytes: number): Promise<void> {
  const startNs = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const intendedNs = startNs + BigInt(Math.round((i * 1e9) / PUBLISH_PER_S));
    const waitMs = Number(intendedNs - process.hrtime.bigint()) / 1e6;
    if (waitMs > 1) await sleep(waitMs);
    await post(server, '/publish', { to: ['c1'], intended: String(intendedNs), payloadBytes });
  }
}

async function slowClient(
  transport: TransportName,
  serverOptions: Parameters<typeof startReferenceServer>[0] = {},
  limit: ConsumeLimit = { unit: 'events', perSecond: CONSUME_PER_S },
) {
  const server = cleanup.track((s) => s.close(), await startReferenceServer(serverOptions));
  await post(server, '/clients', { ids: ['c1'] });
  const module = transportModule(transport);
  const settings: unknown = module.settings.parse(transport === 'polling' ? { interval: '100ms' } : {});
  const base = makeContext(server.url, settings);
  const ctx = withConsumeLimit(base, limit);
  cleanup.track(() => ctx.consume?.stop(), null);
  const client = cleanup.track((c) => c.stop(), module.createClient(ctx));
  await client.start();
  return { server, sink: base.sink, events: () => base.sink.events.get(0) ?? [] };
}

const latencyMs = (event: SeenEvent): number => Number(event.receivedNs - event.intendedNs) / 1e6;

describe.each(['sse', 'websocket'] as const)('%s client consuming 20/s while 100/s are published to it', (transport) => {
  it('reads about 20/s, stamps events 50 ms apart, and the server feels the backpressure', async () => {
    // A small server buffer and 32 KB events, so the kernel's socket buffers (a few MB on loopback) fill within the test.
    const { server, sink, events } = await slowClient(transport, { slowConsumer: { maxBufferedBytes: 16 * 1024, stallTimeoutMs: 30_000 } });
    const startedMs = performance.now();
    await publish(server, 300, 32_768);
    const elapsedS = (performance.now() - startedMs) / 1_000;
    const seen = events().length;
    // Events reach the sink when the client gets to them: at most 20/s over elapsedS (+1 for the first, read idle).
    expect(seen).toBeLessThanOrEqual(CONSUME_PER_S * elapsedS + 2);
    expect(seen).toBeGreaterThanOrEqual(CONSUME_PER_S * elapsedS * 0.4);
    expect(seen).toBeLessThan(300 * 0.6);
    const gaps = events()
      .slice(1)
      .map((event, i) => Number(event.receivedNs - events()[i]!.receivedNs) / 1e6);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(49.9);
    // The late ones waited: latency grows through the run.
    expect(latencyMs(events().at(-1)!)).toBeGreaterThan(1_000);
    const channel = (await stats(server)).transports[transport];
    expect(channel.slowConsumerPauses).toBeGreaterThan(0);
    expect(channel.eventsSent).toBeLessThan(300);
    expect(sink.failures).toEqual([]);
  });
});

describe.each(['polling', 'long-polling'] as const)('%s client consuming 20/s while 100/s are published to it', (transport) => {
  it('loses nothing (the events wait on the server), but its latency grows', async () => {
    const { server, sink, events } = await slowClient(transport);
    await publish(server, 40, 200);
    await waitFor(() => events().length >= 40, '40 events', 15_000);
    expect(events().map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(sink.gaps).toEqual([]);
    // 40 events at 20/s take 2 s to consume, published in 0.4 s: the last waited about 1.6 s.
    const last = latencyMs(events().at(-1)!);
    expect(last).toBeGreaterThan(1_000);
    expect(last).toBeLessThan(6_000);
    const firstTen = events().slice(0, 10).map(latencyMs);
    expect(Math.min(...firstTen)).toBeLessThan(last / 2);
    const channel = (await stats(server)).transports[transport];
    expect(channel.slowConsumerPauses).toBe(0);
  });
});

describe('a byte rate', () => {
  it('paces an SSE client by the bytes it reads: 20 KB/s of 1 KB events is under 20 events/s', async () => {
    const { server, events } = await slowClient('sse', {}, { unit: 'bytes', perSecond: 20_000 });
    const startedMs = performance.now();
    await publish(server, 100, 1_000);
    await sleep(500);
    const elapsedS = (performance.now() - startedMs) / 1_000;
    // Each event is its 1,000 B payload plus its SSE and JSON framing, so fewer than 20 a second.
    expect(events().length).toBeLessThanOrEqual(20 * elapsedS + 2);
    expect(events().length).toBeGreaterThanOrEqual(20 * elapsedS * 0.4);
    const spanMs = Number(events().at(-1)!.receivedNs - events()[0]!.receivedNs) / 1e6;
    expect(spanMs).toBeGreaterThanOrEqual((events().length - 1) * 50 * 0.95);
  });
});
