/**
 * HTTP streaming (GET /stream): the client against the reference server and against a
 * purpose-built one that drops it mid-line, the endpoint's answers read raw, and a short run
 * through runScenario.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer, type ServerOptionsInput } from '../../src/server/index.js';
import { createHttpStreamClient } from '../../src/transports/http-stream/client.js';
import { runYaml } from '../conditions/run-helpers.js';
import { Cleanup, eventJson, makeContext, sleep, startHttpServer, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const publish = (server: RunningServer, count: number) =>
  post(
    server,
    '/publish',
    Array.from({ length: count }, () => ({ to: 'all', intended: String(process.hrtime.bigint()), payloadBytes: 30 })),
  );

async function referenceServer(options: ServerOptionsInput = {}): Promise<RunningServer> {
  const server = cleanup.track((s) => s.close(), await startReferenceServer(options));
  await post(server, '/clients', { ids: ['c1'] });
  return server;
}

type ChannelStats = { heartbeats: number; heartbeatBytes: number; bytesRead: number; bytesWritten: number; open: number; eventsSent: number };
async function channel(server: RunningServer): Promise<ChannelStats> {
  const stats = (await (await fetch(`${server.url}/stats`)).json()) as { transports: Record<string, ChannelStats> };
  return stats.transports['http-stream']!;
}

/** Opens GET /stream raw and collects its body text as it comes. */
async function rawStream(url: string): Promise<{ response: Response; text: () => string; ended: Promise<void>; abort: () => void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  let text = '';
  const decoder = new TextDecoder();
  const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const ended = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  cleanup.add(() => controller.abort(), undefined);
  return { response, text: () => text, ended, abort: () => controller.abort() };
}

describe('HTTP stream client', () => {
  it('gets every event of the reference server once, in order; its socket bytes are what the server counted', async () => {
    const server = await referenceServer();
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createHttpStreamClient(ctx));
    await client.start();
    for (let batch = 0; batch < 5; batch++) await publish(server, 4);
    await waitFor(() => ctx.sink.totalEvents() === 20, '20 events', 10_000);
    expect(ctx.sink.seqs()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(ctx.sink.events.get(0)!.every((e) => e.payloadBytes === 30 && e.receivedNs > e.intendedNs)).toBe(true);
    expect(ctx.sink.failures).toEqual([]);
    expect(ctx.sink.requests).toEqual([{ clientIndex: 0, outcome: 'events' }]);
    expect(ctx.sink.connects).toHaveLength(1);
    const counted = await channel(server);
    expect(counted.eventsSent).toBe(20);
    // Both ends read their own sockets: what the server wrote on the stream is what the client read, and the other way.
    const bytes = ctx.meter.snapshot();
    expect(bytes.down).toBe(counted.bytesWritten);
    expect(bytes.up).toBe(counted.bytesRead);
    expect(bytes.down).toBeGreaterThan(20 * eventJson(10, 'x'.repeat(30)).length);
  });

  it('resumes after a dropped connection with after= its cursor, across lines split between chunks', async () => {
    const paths: string[] = [];
    const server = cleanup.track(
      (x) => x.close(),
      await startHttpServer((req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        if (paths.length === 1) {
          // two events, a heartbeat, the third split over two writes, half of the fourth, then the connection dies
          res.write(`${eventJson(1)}\n${eventJson(2)}\n\n${eventJson(3).slice(0, 10)}`);
          setTimeout(() => res.write(`${eventJson(3).slice(10)}\n${eventJson(4).slice(0, 12)}`), 10);
          setTimeout(() => req.socket.destroy(), 40);
        } else if (paths.length === 2) {
          // resumed: an event, a gap marker, an event (CRLF-delimited), then a clean end of the response
          res.end(`${eventJson(4)}\n{"gap":{"from":5,"to":7}}\n${eventJson(8)}\r\n`);
        } else {
          res.write(`${eventJson(9)}\n`);
        }
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createHttpStreamClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 6, '6 events', 10_000);
    expect(ctx.sink.seqs()).toEqual([1, 2, 3, 4, 8, 9]);
    expect(ctx.sink.gaps).toEqual([{ clientIndex: 0, from: 5, to: 7 }]);
    expect(paths).toEqual(['/stream?client=c1&after=0', '/stream?client=c1&after=3', '/stream?client=c1&after=8']);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['disconnect', 'disconnect']);
    expect(ctx.sink.failures[1]!.detail).toBe('HTTP stream dropped: the server ended the stream');
    expect(ctx.sink.connects).toHaveLength(1);
  });

  it('is told of events retention dropped with a gap marker, then gets the retained ones', async () => {
    const server = await referenceServer({ retention: { maxEventsPerClient: 5 } });
    await publish(server, 12);
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createHttpStreamClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 5, 'the 5 retained events', 10_000);
    expect(ctx.sink.gaps).toEqual([{ clientIndex: 0, from: 1, to: 7 }]);
    expect(ctx.sink.seqs()).toEqual([8, 9, 10, 11, 12]);
    expect(ctx.sink.failures).toEqual([]);
  });

  it('keeps an idle stream open on heartbeats (empty lines), which are not events', async () => {
    const server = await referenceServer();
    // Heartbeats every 100 ms: the client's body timeout is 300 ms, so without them the stream would drop.
    const ctx = makeContext(server.url, { heartbeatMs: 100 });
    const client = cleanup.track((x) => x.stop(), createHttpStreamClient(ctx));
    await client.start();
    const raw = await rawStream(`${server.url}/stream?client=c1&heartbeat=100`);
    await sleep(700);
    const counted = await channel(server);
    expect(counted.heartbeats).toBeGreaterThanOrEqual(4);
    // Each is "\n" in a one-byte HTTP chunk: "1\r\n\n\r\n".
    expect(counted.heartbeatBytes).toBe(6 * counted.heartbeats);
    expect(raw.text()).toMatch(/^\n{2,}$/);
    expect(ctx.sink.totalEvents()).toBe(0);
    expect(ctx.sink.failures).toEqual([]);
    await publish(server, 1);
    await waitFor(() => ctx.sink.totalEvents() === 1, 'an event after the heartbeats', 5_000);
    expect(ctx.sink.requests).toHaveLength(1);
  });

  it('gives up on an unknown client at once, saying why', async () => {
    const server = await referenceServer();
    const ctx = makeContext(server.url, { heartbeatMs: null }, { clientId: 'nobody' });
    const client = cleanup.track((x) => x.stop(), createHttpStreamClient(ctx));
    await expect(client.start()).rejects.toThrow(/not retryable.*GET \/stream answered 404.*unknown_client/);
    expect(ctx.sink.requests).toEqual([{ clientIndex: 0, outcome: 'failed' }]);
  });
});

describe('GET /stream on the reference server', () => {
  it('answers 200 chunked NDJSON with its headers before any event, catch-up first, a batch in one line each', async () => {
    const server = await referenceServer();
    await publish(server, 2);
    const raw = await rawStream(`${server.url}/stream?client=c1&after=1`);
    expect(raw.response.status).toBe(200);
    expect(Object.fromEntries(raw.response.headers)).toMatchObject({
      'content-type': 'application/x-ndjson',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'transfer-encoding': 'chunked',
    });
    await waitFor(() => raw.text().split('\n').length === 2, 'the catch-up', 5_000);
    await publish(server, 2);
    await waitFor(() => raw.text().split('\n').length === 4, 'two live events', 5_000);
    const lines = raw.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([2, 3, 4]);
    for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(['seq', 'id', 't', 'p']);
  });

  it('ends open streams on POST /reset', async () => {
    const server = await referenceServer();
    const raw = await rawStream(`${server.url}/stream?client=c1`);
    await waitFor(async () => (await channel(server)).open === 1, 'the stream counted open', 5_000);
    await post(server, '/reset', {});
    await raw.ended;
    expect((await channel(server)).open).toBe(0);
  });

  it.each([
    ['client=nobody', 404, 'unknown_client', 'client'],
    ['client=c1&after=x', 400, 'bad_parameter', 'after'],
    ['client=c1&after=3', 400, 'bad_parameter', 'after'],
    ['client=c1&heartbeat=5', 400, 'bad_parameter', 'heartbeat'],
    ['after=0', 400, 'bad_parameter', 'client'],
  ])('refuses %s with %i %s naming %s', async (query, status, error, parameter) => {
    const server = await referenceServer();
    const response = await fetch(`${server.url}/stream?${query}`);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error, parameter });
  });
});

describe('http-stream through runScenario', () => {
  it('delivers every expected event exactly once', async () => {
    const [stream, ...others] = await runYaml(`name: http-stream-e2e
duration: 2s
warmup: 500ms
clients: { count: 10, rampUp: 200ms }
events: { rate: 20/s, arrival: uniform, payload: 100B, audience: all }
transports:
  http-stream: {}
`);
    expect(others).toEqual([]);
    expect(stream!.transport).toBe('http-stream');
    // 20 events/s × 2 s, evenly spaced: 40 events, each to all 10 clients.
    expect(stream!.events).toMatchObject({ published: 40, expected: 400, delivered: 400, lost: 0, duplicated: 0 });
    expect(stream!.latencyMs.count).toBe(400);
    expect(stream!.bytes.down).toBeGreaterThan(400 * 100);
  }, 60_000);
});
