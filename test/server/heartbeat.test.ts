import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { publish, register, SseClient, startServer, stats, waitFor, waitForStats, WsClient } from './helpers.js';

const ws = (url: string) => url.replace(/^http/, 'ws');

describe('heartbeats and compression, per server or per connection', () => {
  it('sse: `: hb` comments on an idle stream when asked with &heartbeat=MS; none by default', async () => {
    const server = await startServer();
    await register(server, ['a', 'b']);
    const beating = await SseClient.open(`${server.url}/sse?client=a&heartbeat=100&retry=2500`);
    const quiet = await SseClient.open(`${server.url}/sse?client=b`);
    await waitFor(() => beating.comments >= 2, 'two heartbeats');
    expect(beating.retry).toBe(2500);
    // Counted with their bytes on the wire: a 6-byte comment in an 11-byte HTTP chunk ("6\r\n: hb\n\n\r\n").
    const counted = (await stats(server)).transports.sse;
    expect(counted.heartbeats).toBeGreaterThanOrEqual(2);
    expect(counted.heartbeatBytes).toBe(11 * counted.heartbeats);
    await publish(server, [{ to: 'all', payloadBytes: 1 }]);
    await waitFor(() => quiet.events.length === 1, 'an event on the quiet stream');
    expect(quiet.comments).toBe(0);
    beating.close();
    quiet.close();
  });

  it('sse: the server option sets the default', async () => {
    const server = await startServer({ transports: { sse: { heartbeatMs: 100 } } });
    await register(server, ['a']);
    const sse = await SseClient.open(`${server.url}/sse?client=a`);
    await waitFor(() => sse.comments >= 1, 'a heartbeat');
    sse.close();
  });

  it('websocket: pings when asked; a peer that never answers is closed and counted', async () => {
    const server = await startServer();
    await register(server, ['a', 'b']);
    const answering = await WsClient.open(`${ws(server.url)}/ws?client=a&heartbeat=250`); // generous: a stalled loop must not read as a dead peer
    const pings = { count: 0 };
    answering.ws.on('ping', () => pings.count++);
    const silent = await WsClient.open(`${ws(server.url)}/ws?client=b&heartbeat=100`, { autoPong: false });
    await waitFor(() => silent.closeCode !== undefined, 'the silent peer to be dropped');
    const s = await waitForStats(server, (x) => x.transports.websocket.heartbeatTimeouts === 1, 'the drop to be counted');
    expect(s.transports.websocket.open).toBe(1);
    await waitFor(() => pings.count >= 2, 'pings that were answered');
    expect(answering.closeCode).toBeUndefined();
    // Each ping is a 2-byte frame; each pong read back a 6-byte masked one.
    const { heartbeats, heartbeatBytes } = (await stats(server)).transports.websocket;
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    const pongBytes = heartbeatBytes - 2 * heartbeats;
    expect(pongBytes % 6).toBe(0);
    expect(pongBytes / 6).toBeGreaterThanOrEqual(2);
    expect(pongBytes / 6).toBeLessThanOrEqual(heartbeats);
    answering.close();
  });

  it('refuses heartbeats faster than 100 ms, per connection and as a server option', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const sse = await fetch(`${server.url}/sse?client=a&heartbeat=1`);
    expect(sse.status).toBe(400);
    expect(await sse.json()).toMatchObject({ error: 'bad_parameter', parameter: 'heartbeat' });
    const refused = await new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(`${ws(server.url)}/ws?client=a&heartbeat=1`);
      socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode);
        socket.terminate();
      });
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(refused).toBe(400);
    await expect(startServer({ transports: { sse: { heartbeatMs: 5 } } })).rejects.toThrow('transports.sse.heartbeatMs');
    await expect(startServer({ transports: { websocket: { heartbeatMs: 99 } } })).rejects.toThrow('transports.websocket.heartbeatMs');
  });

  it('websocket: permessage-deflate off by default, on with &compress=1 or the server option', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const plain = await WsClient.open(`${ws(server.url)}/ws?client=a`); // the ws client offers deflate
    const deflated = await WsClient.open(`${ws(server.url)}/ws?client=a&compress=1`);
    expect(plain.ws.extensions).toBe('');
    expect(deflated.ws.extensions).toContain('permessage-deflate');
    await publish(
      server,
      Array.from({ length: 3 }, () => ({ to: 'all', payloadBytes: 5000 })),
    );
    await waitFor(() => plain.events.length === 3 && deflated.events.length === 3, 'events on both');
    expect(deflated.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const s = await stats(server);
    expect(s.transports.websocket.bytesWritten).toBeLessThan(2 * 3 * 5000);
    plain.close();
    deflated.close();

    const compressing = await startServer({ transports: { websocket: { compression: true } } });
    await register(compressing, ['a']);
    const byDefault = await WsClient.open(`${ws(compressing.url)}/ws?client=a`);
    const optedOut = await WsClient.open(`${ws(compressing.url)}/ws?client=a&compress=0`);
    expect(byDefault.ws.extensions).toContain('permessage-deflate');
    expect(optedOut.ws.extensions).toBe('');
    byDefault.close();
    optedOut.close();
  });
});
