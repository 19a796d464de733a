import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseClient } from '../../src/transports/sse/client.js';
import { Cleanup, eventJson, makeContext, startHttpServer, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function openStream(res: ServerResponse, retryMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(`retry: ${retryMs}\n\n`);
}

const sseEvent = (seq: number): string => `id: ${seq}\ndata: ${eventJson(seq)}\n\n`;

describe('SSE client', () => {
  it('reconnects after a drop with Last-Event-ID and delivers every seq once, in order', async () => {
    const lastEventIds: Array<string | undefined> = [];
    const server = cleanup.track(
      (x) => x.close(),
      await startHttpServer((req, res) => {
        lastEventIds.push(req.headers['last-event-id'] as string | undefined);
        openStream(res, 30);
        if (lastEventIds.length === 1) {
          // three events, then half of the fourth, then the connection dies mid-stream
          res.write(sseEvent(1) + sseEvent(2) + ': hb\n\n');
          res.write(sseEvent(3) + `id: 4\ndata: {"seq":4,`);
          setTimeout(() => req.socket.destroy(), 20);
        } else if (lastEventIds.length === 2) {
          // resumed: events, a gap marker, an event, then a clean end of the response
          res.end(sseEvent(4) + sseEvent(5) + `event: gap\ndata: {"from":6,"to":7}\n\n` + sseEvent(8));
        } else {
          res.write(sseEvent(9));
        }
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createSseClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 7, '7 events', 10_000);
    expect(ctx.sink.seqs()).toEqual([1, 2, 3, 4, 5, 8, 9]);
    expect(ctx.sink.gaps).toEqual([{ clientIndex: 0, from: 6, to: 7 }]);
    expect(lastEventIds).toEqual([undefined, '3', '8']);
    expect(ctx.sink.requests).toEqual([
      { clientIndex: 0, outcome: 'events' },
      { clientIndex: 0, outcome: 'events' },
      { clientIndex: 0, outcome: 'events' },
    ]);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['disconnect', 'disconnect']);
    expect(ctx.sink.connects).toHaveLength(1);
    const bytes = ctx.meter.snapshot();
    const payloadBytes = 7 * 4;
    expect(bytes.down).toBeGreaterThan(payloadBytes + 7 * 'id: \ndata: \n\n'.length);
    expect(bytes.up).toBeGreaterThan(3 * 'GET /sse?client=c1 HTTP/1.1\r\n'.length);
  });

  it('reports a 500 as a failure and retries it, bounded', async () => {
    let requests = 0;
    const server = cleanup.track(
      (x) => x.close(),
      await startHttpServer((_req, res) => {
        requests++;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createSseClient(ctx));
    await expect(client.start()).rejects.toThrow(/gave up/);
    expect(requests).toBe(3);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['request', 'request', 'request']);
    expect(ctx.sink.failures[0]?.detail).toMatch(/GET \/sse answered 500: \{"error":"internal"\}/);
    expect(ctx.sink.requests.every((r) => r.outcome === 'failed')).toBe(true);
  });

  it('does not retry a 404 and says why', async () => {
    const server = cleanup.track(
      (x) => x.close(),
      await startHttpServer((_req, res) => {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown_client"}');
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createSseClient(ctx));
    await expect(client.start()).rejects.toThrow(/not retryable.*404.*unknown_client/);
    expect(ctx.sink.failures).toHaveLength(1);
  });

  it('reports a malformed event without stopping the stream', async () => {
    const server = cleanup.track(
      (x) => x.close(),
      await startHttpServer((_req, res) => {
        openStream(res, 1_000);
        res.write(`data: not json\n\n${sseEvent(1)}`);
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null });
    const client = cleanup.track((x) => x.stop(), createSseClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 1, 'event 1', 5_000);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['protocol']);
  });

  it('stops cleanly with the stream open', async () => {
    const server = cleanup.track((x) => x.close(), await startHttpServer((_req, res) => openStream(res, 1_000)));
    const ctx = makeContext(server.url, { heartbeatMs: 1_000 });
    const client = createSseClient(ctx);
    await client.start();
    await client.stop();
    expect(ctx.meter.openSockets).toBe(0);
    expect(ctx.sink.failures).toEqual([]);
  });
});
