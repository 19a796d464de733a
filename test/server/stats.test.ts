import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { postJson, publish, register, SseClient, startServer, stats, waitFor, waitForStats } from './helpers.js';

describe('GET /stats', () => {
  it('reports process figures and resets on POST /stats/reset', async () => {
    const server = await startServer();
    await register(server, ['a']);
    await publish(server, [{ to: 'all', payloadBytes: 1 }]);
    const before = await stats(server);
    expect(before.events.published).toBe(1);
    expect(before.cpu.totalMs).toBeGreaterThan(0);
    expect(before.memory.rssPeakBytes).toBeGreaterThanOrEqual(before.memory.rssBytes);
    expect(before.eventLoop.utilization).toBeGreaterThanOrEqual(0);
    expect(before.eventLoop.utilization).toBeLessThanOrEqual(1);
    expect(before.transports.control.requests).toBeGreaterThanOrEqual(3);

    expect((await postJson(`${server.url}/stats/reset`, {})).status).toBe(200);
    const after = await stats(server);
    expect(after.events.published).toBe(0);
    expect(after.clients.registered).toBe(1); // a stats reset forgets figures, not clients
    expect(after.transports.control.requests).toBe(1); // this GET /stats
    expect(after.sinceResetMs).toBeLessThan(before.sinceResetMs + 60_000);
  });

  it('counts bytes per transport from the sockets, exactly as the client saw them', async () => {
    const server = await startServer();
    await register(server, ['a']);
    await publish(
      server,
      Array.from({ length: 3 }, () => ({ to: 'all', payloadBytes: 50 })),
    );
    await postJson(`${server.url}/stats/reset`, {});

    // Three polls and a long poll on one keep-alive socket: bytes must follow each request.
    const socket = connect(server.port, '127.0.0.1');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    const ask = async (path: string, answers: number): Promise<void> => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => received.split('HTTP/1.1 ').length - 1 >= answers && received.endsWith('}'), `answer ${answers}`);
    };
    await ask('/poll?client=a&after=0', 1);
    await ask('/poll?client=a&after=3', 2);
    const pollRead = socket.bytesWritten;
    const pollWritten = received.length;
    await ask('/long-poll?client=a&after=2', 3);
    const s = await waitForStats(server, (x) => x.transports['long-polling'].bytesWritten > 0, 'the long poll to be counted');
    expect(s.transports.polling.bytesRead).toBe(pollRead);
    expect(s.transports.polling.bytesWritten).toBe(pollWritten);
    expect(s.transports.polling.bytesRead + s.transports['long-polling'].bytesRead).toBe(socket.bytesWritten);
    expect(s.transports.polling.bytesWritten + s.transports['long-polling'].bytesWritten).toBe(received.length);
    expect(s.transports.polling).toMatchObject({ requests: 2, emptyResponses: 1, eventsSent: 3 });
    socket.destroy();
  });

  it('counts an open stream live, and its open connections', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const sse = await SseClient.open(`${server.url}/sse?client=a`);
    await publish(server, [{ to: 'all', payloadBytes: 1000 }]);
    await waitFor(() => sse.events.length === 1, 'the event');
    const s = await stats(server);
    expect(s.transports.sse.open).toBe(1);
    expect(s.transports.sse.sockets).toBe(1);
    expect(s.transports.sse.eventsSent).toBe(1);
    expect(s.transports.sse.bytesWritten).toBeGreaterThan(1000);
    expect(s.transports.sse.bytesRead).toBeGreaterThan(20);
    sse.close();
  });
});
