import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPollingClient } from '../../src/transports/polling/client.js';
import type { PollingSettings } from '../../src/transports/polling/settings.js';
import { Cleanup, eventJson, makeContext, ManualDefer, sleep, startHttpServer, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Node's timers may fire up to ~1 ms before performance.now() says they are due. */
const TIMER_SLACK_MS = 5;

/** A /poll endpoint over a growing list of events for client c1 (seq = index + 1). */
function pollServer(state: { published: number; delayMs?: number; status?: number; seenAfter: number[]; seenPorts: Set<number> }) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const after = Number(url.searchParams.get('after'));
    state.seenAfter.push(after);
    state.seenPorts.add(req.socket.remotePort ?? 0);
    const answer = (): void => {
      if (state.status !== undefined && state.status !== 200) {
        res.writeHead(state.status, { 'content-type': 'application/json' }).end('{"error":"boom"}');
        return;
      }
      const events: string[] = [];
      for (let seq = after + 1; seq <= state.published; seq++) events.push(eventJson(seq));
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"events":[${events.join(',')}],"next":${Math.max(after, state.published)}}`);
    };
    if (state.delayMs === undefined) answer();
    else setTimeout(answer, state.delayMs);
  };
}

function newState() {
  return { published: 0, seenAfter: [] as number[], seenPorts: new Set<number>() } as {
    published: number;
    delayMs?: number;
    status?: number;
    seenAfter: number[];
    seenPorts: Set<number>;
  };
}

describe('polling client', () => {
  it('polls on one keep-alive connection, carrying its cursor, and delivers each event once', async () => {
    const state = newState();
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 20, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await client.start();
    expect(ctx.sink.connects).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      state.published += 2;
      await waitFor(() => ctx.sink.totalEvents() === state.published, `${state.published} events`, 5_000);
    }
    expect(ctx.sink.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(state.seenPorts.size).toBe(1);
    expect(ctx.meter.trackedSockets).toBe(1);
    expect(Math.max(...state.seenAfter)).toBeLessThanOrEqual(10);
    expect(ctx.sink.requests.some((r) => r.outcome === 'empty')).toBe(true);
    expect(ctx.sink.failures).toEqual([]);
    const bytes = ctx.meter.snapshot();
    expect(bytes.up).toBeGreaterThan(ctx.sink.requests.length * 30);
    expect(bytes.down).toBeGreaterThan(10 * 4);
  });

  it('fixed mode never polls faster than its interval', async () => {
    const state = newState();
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 100, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    const startedMs = performance.now();
    await client.start();
    await waitFor(() => ctx.sink.requests.length >= 8, '8 polls');
    const elapsedMs = performance.now() - startedMs;
    await client.stop();
    // The first poll, then ticks at origin + k * 100 ms (origin >= the first answer): poll n
    // comes no sooner than (n - 2) intervals after the start. A loaded machine only delays them.
    expect(elapsedMs).toBeGreaterThanOrEqual(6 * 100 - TIMER_SLACK_MS);
  });

  it('fixed mode skips (and reports) ticks that come while a poll is in flight', async () => {
    const state = newState();
    state.delayMs = 120;
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 50, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.skipped >= 3, 'skipped ticks', 10_000);
    await client.stop();
    expect(state.seenPorts.size).toBe(1);
  });

  it("sends one poll at a time when a slow client's deferred poll comes due after a tick sent one", async () => {
    const state = newState();
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const gate = new ManualDefer();
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 30, mode: 'fixed' }, { consume: gate.asGate() });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await client.start();
    gate.holding = true;
    await waitFor(() => gate.pending !== undefined, 'a deferred poll', 5_000);
    state.published = 3;
    state.delayMs = 200;
    gate.holding = false;
    const sent = state.seenAfter.length;
    await waitFor(() => state.seenAfter.length > sent, "a tick's poll", 5_000);
    gate.pending!();
    await waitFor(() => ctx.sink.totalEvents() >= 3, '3 events', 5_000);
    await sleep(400);
    expect(ctx.sink.seqs()).toEqual([1, 2, 3]);
  });

  it('chained mode waits the interval after each answer', async () => {
    const state = newState();
    state.delayMs = 50;
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 50, mode: 'chained' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    const startedMs = performance.now();
    await client.start();
    await waitFor(() => ctx.sink.requests.length >= 6, '6 answered polls');
    const elapsedMs = performance.now() - startedMs;
    await client.stop();
    // Six 50 ms answers, and between them one wait of a random phase in [0, 50 ms) (the schedule
    // starts after the first answer) then four 50 ms waits: no sooner than 6 × 50 + 4 × 50 ms.
    expect(elapsedMs).toBeGreaterThanOrEqual(6 * 50 + 4 * 50 - TIMER_SLACK_MS);
    expect(ctx.sink.skipped).toBe(0);
  });

  it('reports a 500 as a failure and gives up after the bounded retries', async () => {
    const state = newState();
    state.status = 500;
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 50, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await expect(client.start()).rejects.toThrow(/gave up/);
    expect(ctx.sink.failures).toHaveLength(3);
    expect(ctx.sink.failures[0]).toMatchObject({ kind: 'request' });
    expect(ctx.sink.failures[0]?.detail).toMatch(/GET \/poll answered 500: \{"error":"boom"\}/);
    // A 500 is a failed request, never an empty answer.
    expect(ctx.sink.requests.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('does not retry a 404 (unknown client)', async () => {
    const state = newState();
    state.status = 404;
    const server = cleanup.track((x) => x.close(), await startHttpServer(pollServer(state)));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 50, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await expect(client.start()).rejects.toThrow(/not retryable/);
    expect(ctx.sink.failures).toHaveLength(1);
    expect(state.seenAfter).toHaveLength(1);
  });

  it('reports a refused connection as a connect failure', async () => {
    const server = await startHttpServer(() => undefined);
    await server.close();
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 50, mode: 'chained' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await expect(client.start()).rejects.toThrow(/gave up/);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['connect', 'connect', 'connect']);
    expect(ctx.sink.failures[0]?.detail).toMatch(/ECONNREFUSED/);
  });

  it('keeps reporting failures after the server dies while running, then gives up', async () => {
    const state = newState();
    const server = await startHttpServer(pollServer(state));
    const ctx = makeContext<PollingSettings>(server.url, { intervalMs: 30, mode: 'fixed' });
    const client = cleanup.track((x) => x.stop(), createPollingClient(ctx));
    await client.start();
    await server.close();
    await waitFor(() => ctx.sink.failures.some((f) => f.detail.startsWith('gave up')), 'give up', 10_000);
    expect(ctx.sink.failures.length).toBeGreaterThanOrEqual(4);
    expect(ctx.sink.failures.at(-1)?.kind).toBe('disconnect');
  });
});
