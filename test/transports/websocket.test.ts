import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createWebSocketClient } from '../../src/transports/websocket/client.js';
import { Cleanup, eventJson, makeContext, startHttpServer, waitFor, type TestServer } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Handshake {
  after: number;
  extensions: string | undefined;
}

/** A ws server on a node:http server; `onConnection` plays the script for the n-th connection. */
async function startWsServer(onConnection: (socket: WebSocket, index: number) => void, refuseWith?: number): Promise<TestServer & { handshakes: Handshake[] }> {
  const handshakes: Handshake[] = [];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: true });
  const server = await startHttpServer((_req, res) => res.writeHead(404).end());
  server.server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    handshakes.push({ after: Number(url.searchParams.get('after')), extensions: req.headers['sec-websocket-extensions'] });
    if (refuseWith !== undefined) {
      socket.end(`HTTP/1.1 ${refuseWith} Nope\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, handshakes.length - 1));
  });
  return {
    ...server,
    handshakes,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await server.close();
    },
  };
}

describe('WebSocket client', () => {
  it('reconnects with after = last seq on an unexpected close; every seq once, in order', async () => {
    const server = cleanup.track(
      (x) => x.close(),
      await startWsServer((ws, index) => {
        if (index === 0) {
          for (let seq = 1; seq <= 3; seq++) ws.send(eventJson(seq));
          ws.close(1001, 'going away');
        } else {
          ws.send(eventJson(4));
          ws.send(eventJson(5));
          ws.send('{"gap":{"from":6,"to":7}}');
          ws.send(eventJson(8));
        }
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: null, compression: false });
    const client = cleanup.track((x) => x.stop(), createWebSocketClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 6, '6 events', 10_000);
    expect(ctx.sink.seqs()).toEqual([1, 2, 3, 4, 5, 8]);
    expect(ctx.sink.gaps).toEqual([{ clientIndex: 0, from: 6, to: 7 }]);
    expect(server.handshakes.map((h) => h.after)).toEqual([0, 3]);
    expect(server.handshakes.every((h) => h.extensions === undefined)).toBe(true);
    expect(ctx.sink.requests).toHaveLength(2);
    expect(ctx.sink.frames.filter((f) => f.direction === 'down' && !f.control)).toHaveLength(7);
    expect(ctx.sink.failures).toMatchObject([{ kind: 'disconnect', detail: 'WebSocket closed 1001 going away' }]);
    // the meter saw both handshake requests (each well over 150 bytes of headers)
    expect(ctx.meter.snapshot().up).toBeGreaterThan(2 * 150);
    expect(ctx.meter.snapshot().down).toBeGreaterThan(6 * 4 + 2 * 100);
  });

  it('offers permessage-deflate only when compression is on', async () => {
    const server = cleanup.track((x) => x.close(), await startWsServer((ws) => ws.send(eventJson(1, 'y'.repeat(500)))));
    const ctx = makeContext(server.url, { heartbeatMs: null, compression: true });
    const client = cleanup.track((x) => x.stop(), createWebSocketClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.totalEvents() === 1, 'event 1', 5_000);
    expect(server.handshakes[0]?.extensions).toMatch(/permessage-deflate/);
    expect(ctx.sink.events.get(0)?.[0]?.payloadBytes).toBe(500);
    // 500 repeated bytes deflate to a few dozen: the wire count is the compressed one
    expect(ctx.meter.snapshot().down).toBeLessThan(500);
  });

  it('counts server pings and the automatic pongs as control frames', async () => {
    let pongs = 0;
    const server = cleanup.track(
      (x) => x.close(),
      await startWsServer((ws) => {
        ws.on('pong', () => pongs++);
        ws.ping();
        ws.ping();
      }),
    );
    const ctx = makeContext(server.url, { heartbeatMs: 1_000, compression: false });
    const client = cleanup.track((x) => x.stop(), createWebSocketClient(ctx));
    await client.start();
    await waitFor(() => pongs === 2, 'two pongs', 5_000);
    expect(ctx.sink.frames.filter((f) => f.control && f.direction === 'down')).toHaveLength(2);
    expect(ctx.sink.frames.filter((f) => f.control && f.direction === 'up')).toHaveLength(2);
  });

  it('reports a refused handshake and does not retry a 404', async () => {
    const server = cleanup.track((x) => x.close(), await startWsServer(() => undefined, 404));
    const ctx = makeContext(server.url, { heartbeatMs: null, compression: false });
    const client = cleanup.track((x) => x.stop(), createWebSocketClient(ctx));
    await expect(client.start()).rejects.toThrow(/not retryable: GET \/ws answered 404/);
    expect(ctx.sink.failures).toHaveLength(1);
    expect(ctx.sink.requests).toEqual([{ clientIndex: 0, outcome: 'failed' }]);
  });

  it('retries a refused connection with backoff, bounded', async () => {
    const server = await startHttpServer(() => undefined);
    await server.close();
    const ctx = makeContext(server.url, { heartbeatMs: null, compression: false });
    const client = cleanup.track((x) => x.stop(), createWebSocketClient(ctx));
    await expect(client.start()).rejects.toThrow(/gave up/);
    expect(ctx.sink.failures.map((f) => f.kind)).toEqual(['connect', 'connect', 'connect']);
    expect(ctx.sink.failures[0]?.detail).toMatch(/ECONNREFUSED/);
  });

  it('stops cleanly: closing handshake, no socket left', async () => {
    const server = cleanup.track((x) => x.close(), await startWsServer(() => undefined));
    const ctx = makeContext(server.url, { heartbeatMs: null, compression: false });
    const client = createWebSocketClient(ctx);
    await client.start();
    await client.stop();
    expect(ctx.meter.openSockets).toBe(0);
    expect(ctx.sink.failures).toEqual([]);
  });
});
