import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/index.js';
import { expectContiguous, publish, register, SseClient, startServer, stats, waitFor, waitForStats, WsClient } from './helpers.js';

const BOUND = 256 * 1024;
const PAYLOAD = 100 * 1024;
// 30 MB: far more than loopback socket buffers absorb, so the server-side queue must fill.
const EVENTS = 300;

/** A client that sends its request and then never reads a byte. */
function neverReading(server: RunningServer, request: string): Socket {
  const socket = connect({ port: server.port, host: '127.0.0.1' });
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(request);
  return socket;
}

const sseRequest = 'GET /sse?client=slow HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n';
const wsRequest =
  'GET /ws?client=slow HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('slow consumers', () => {
  it.each([
    ['sse', sseRequest],
    ['websocket', wsRequest],
  ] as const)('%s: a client that never reads is bounded, then dropped; others are served in full', async (transport, rawRequest) => {
    const server = await startServer({ slowConsumer: { maxBufferedBytes: BOUND, stallTimeoutMs: 1500 } });
    await register(server, ['slow', 'fast']);
    const slow = neverReading(server, rawRequest);
    const fast =
      transport === 'sse' ? await SseClient.open(`${server.url}/sse?client=fast`) : await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=fast`);
    await waitForStats(server, (s) => s.transports[transport].open === 2, 'both connections');

    let maxBuffered = 0;
    for (let i = 0; i < EVENTS; i += 10) {
      await publish(
        server,
        Array.from({ length: 10 }, () => ({ to: 'all', payloadBytes: PAYLOAD })),
      );
      const s = await stats(server);
      maxBuffered = Math.max(maxBuffered, s.transports[transport].maxSocketBufferedBytes);
    }
    await waitFor(() => fast.events.length === EVENTS, 'the fast client to get everything');
    expectContiguous(fast.events, EVENTS);

    const s = await waitForStats(server, (x) => x.transports[transport].slowConsumerDisconnects === 1, 'the stalled client to be dropped');
    // Never more than the bound plus the one event that crossed it (and its framing).
    expect(maxBuffered).toBeLessThanOrEqual(BOUND + PAYLOAD + 1024);
    expect(s.transports[transport].slowConsumerPauses).toBeGreaterThanOrEqual(1);
    expect(s.slowConsumerDrops.disconnects).toBe(1);
    expect(s.transports[transport].open).toBe(1);
    expect(s.clients.listening).toBe(1);
    slow.destroy();
    fast.close();
  });

  it('a slow stream that falls behind retention gets a gap, counted as skipped', async () => {
    const server = await startServer({ retention: { maxEventsPerClient: 20 }, slowConsumer: { maxBufferedBytes: BOUND, stallTimeoutMs: 60_000 } });
    await register(server, ['slow']);
    const slow = neverReading(server, sseRequest);
    await waitForStats(server, (s) => s.transports.sse.open === 1, 'the stream');
    for (let i = 0; i < EVENTS; i += 10) {
      await publish(
        server,
        Array.from({ length: 10 }, () => ({ to: 'all', payloadBytes: PAYLOAD })),
      );
    }
    await waitForStats(server, (s) => s.transports.sse.slowConsumerPauses >= 1, 'the stream to block');
    // Now read: the stream resumes with a gap marker for what retention dropped meanwhile.
    let text = '';
    slow.setEncoding('latin1');
    slow.on('data', (d: string) => (text = (text + d).slice(-200_000)));
    slow.resume();
    const s = await waitForStats(
      server,
      (x) => x.transports.sse.slowConsumerSkippedEvents > 0 && x.transports.sse.eventsSent + x.transports.sse.gapEvents === EVENTS,
      'the stream to catch up',
    );
    await waitFor(() => text.includes(`id: ${EVENTS}\n`), 'the last event to arrive');
    expect(s.slowConsumerDrops.skippedEvents).toBe(s.transports.sse.slowConsumerSkippedEvents);
    expect(s.transports.sse.slowConsumerDisconnects).toBe(0);
    slow.destroy();
  });

  it('a client that vanishes mid-stream leaves nothing behind', async () => {
    const server = await startServer();
    await register(server, ['gone', 'stays']);
    const gone = await SseClient.open(`${server.url}/sse?client=gone`);
    const goneWs = await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=gone`);
    const stays = await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=stays`);
    await publish(server, [{ to: 'all', payloadBytes: 10 }]);
    await waitFor(() => gone.events.length === 1 && goneWs.events.length === 1, 'the first event');
    gone.close();
    goneWs.close();
    await publish(
      server,
      Array.from({ length: 20 }, () => ({ to: 'all', payloadBytes: 10_000 })),
    );
    const s = await waitForStats(server, (x) => x.transports.sse.open === 0 && x.transports.websocket.open === 1, 'the vanished client to be released');
    expect(s.clients.listening).toBe(1);
    await waitFor(() => stays.events.length === 21, 'the remaining client to get everything');
    expectContiguous(stays.events, 21);
    stays.close();
  });
});
