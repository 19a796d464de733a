import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { expectContiguous, getJson, publish, register, SseClient, startServer, stats, waitFor, waitForStats, WsClient, type PollBody } from './helpers.js';

describe('long polling', () => {
  it('times out with 204 and an empty body, and releases its waiter', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const res = await fetch(`${server.url}/long-poll?client=a&after=0&timeout=50`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const s = await stats(server);
    expect(s.transports['long-polling']).toMatchObject({ open: 0, timeouts: 1, emptyResponses: 1, requests: 1 });
    expect(s.clients.listening).toBe(0);
  });

  it('timeout=0 answers at once', async () => {
    const server = await startServer();
    await register(server, ['a']);
    expect((await fetch(`${server.url}/long-poll?client=a&timeout=0`)).status).toBe(204);
  });

  it('is answered by the first event, with every event after the cursor', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const pending = getJson(`${server.url}/long-poll?client=a&after=0&timeout=60000`);
    await waitForStats(server, (s) => s.transports['long-polling'].open === 1, 'the poll to wait');
    await publish(server, [
      { to: ['a'], payloadBytes: 3 },
      { to: 'all', payloadBytes: 3 },
    ]);
    const { status, json } = await pending;
    expect(status).toBe(200);
    expectContiguous((json as PollBody).events, 2);
    const s = await stats(server);
    expect(s.transports['long-polling'].open).toBe(0);
    expect(s.clients.listening).toBe(0);
  });

  it('a client that disconnects mid-wait leaves nothing behind', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const req = request(`${server.url}/long-poll?client=a&after=0&timeout=60000`);
    req.on('error', () => undefined);
    req.end();
    await waitForStats(server, (s) => s.transports['long-polling'].open === 1 && s.clients.listening === 1, 'the poll to wait');
    req.destroy();
    const s = await waitForStats(server, (x) => x.transports['long-polling'].open === 0, 'the waiter to go');
    expect(s.clients.listening).toBe(0);
    expect(s.transports['long-polling'].timeouts).toBe(0);
    // Publishing to the departed client is harmless and the server carries on.
    await publish(server, [{ to: ['a'], payloadBytes: 1 }]);
    expect((await getJson<PollBody>(`${server.url}/poll?client=a`)).json?.events).toHaveLength(1);
  });

  it('shutdown answers held polls and closes every stream', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const pending = fetch(`${server.url}/long-poll?client=a&after=0&timeout=60000`);
    const sse = await SseClient.open(`${server.url}/sse?client=a`);
    const ws = await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=a`);
    await waitForStats(server, (s) => s.transports['long-polling'].open === 1, 'the poll to wait');
    await server.close();
    expect((await pending).status).toBe(204);
    await waitFor(() => ws.closeCode === 1001 && sse.ended, 'the streams to end');
  });

  it('POST /reset forgets clients and ends their connections', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const ws = await WsClient.open(`${server.url.replace('http', 'ws')}/ws?client=a`);
    await publish(server, [{ to: 'all', payloadBytes: 1 }]);
    const res = await fetch(`${server.url}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    await waitFor(() => ws.closeCode === 1001, 'the WebSocket to be closed with 1001');
    const s = await stats(server);
    expect(s.clients).toEqual({ registered: 0, listening: 0 });
    expect(s.events.published).toBe(0);
    expect((await getJson(`${server.url}/poll?client=a`)).status).toBe(404);
    await register(server, ['a']);
    const [answer] = (await publish(server, [{ to: 'all', payloadBytes: 1 }])) as Array<{ id: number }>;
    expect(answer!.id).toBe(1);
  });
});
