import { describe, expect, it } from 'vitest';
import { expectContiguous, getJson, publish, register, SseClient, startServer, waitFor, waitForStats, WsClient, type PollBody } from './helpers.js';

const wsUrl = (url: string): string => url.replace(/^http/, 'ws');
const events = (n: number, to: 'all' | string[] = 'all') => Array.from({ length: n }, () => ({ to, payloadBytes: 8 }));

describe('resume after a disconnect delivers the missed events', () => {
  it.each(['poll', 'long-poll'])('%s: the cursor `after` picks up where the client left', async (path) => {
    const server = await startServer();
    await register(server, ['a']);
    await publish(server, events(5));
    const first = (await getJson(`${server.url}/${path}?client=a&after=0`)).json as PollBody;
    expectContiguous(first.events, 5);
    expect(first.next).toBe(5);
    await publish(server, events(3));
    const second = (await getJson(`${server.url}/${path}?client=a&after=${first.next}`)).json as PollBody;
    expectContiguous(second.events, 3, 6);
    expect(second.next).toBe(8);
    const empty = await getJson(`${server.url}/poll?client=a&after=8`);
    expect(empty.json).toEqual({ events: [], next: 8 });
  });

  it('sse: Last-Event-ID resumes, and wins over `after`', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const first = await SseClient.open(`${server.url}/sse?client=a`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/event-stream');
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['x-accel-buffering']).toBe('no');
    await publish(server, events(4));
    await waitFor(() => first.events.length === 4, '4 events');
    expect(first.retry).toBe(1000);
    expect(first.ids).toEqual(['1', '2', '3', '4']);
    first.close();
    await waitForStats(server, (s) => s.transports.sse.open === 0, 'the stream to close');

    await publish(server, events(3)); // missed while away
    const second = await SseClient.open(`${server.url}/sse?client=a&after=1`, { 'Last-Event-ID': '4' });
    await waitFor(() => second.events.length === 3, 'the 3 missed events');
    expectContiguous(second.events, 3, 5);
    await publish(server, events(1));
    await waitFor(() => second.events.length === 4, 'the live event');
    expect(second.events[3]!.seq).toBe(8);
    second.close();
  });

  it('websocket: `after` resumes', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const first = await WsClient.open(`${wsUrl(server.url)}/ws?client=a&after=0`);
    await publish(server, events(4));
    await waitFor(() => first.events.length === 4, '4 events');
    first.close();
    await waitForStats(server, (s) => s.transports.websocket.open === 0, 'the socket to close');
    await publish(server, events(3));
    const second = await WsClient.open(`${wsUrl(server.url)}/ws?client=a&after=4`);
    await waitFor(() => second.events.length === 3, 'the 3 missed events');
    expectContiguous(second.events, 3, 5);
    second.close();
  });
});

describe('a cursor past retention reports the gap', () => {
  const retention = { maxEventsPerClient: 10 };

  it.each(['poll', 'long-poll'])('%s: gap marker, then the retained events', async (path) => {
    const server = await startServer({ retention });
    await register(server, ['a']);
    await publish(server, events(25));
    const { json } = await getJson(`${server.url}/${path}?client=a&after=3`);
    const body = json as PollBody;
    expect(body.gap).toEqual({ from: 4, to: 15 });
    expectContiguous(body.events, 10, 16);
    expect(body.next).toBe(25);
    const s = await waitForStats(server, () => true, 'stats');
    expect(s.transports[path === 'poll' ? 'polling' : 'long-polling'].gapEvents).toBe(12);
  });

  it('sse: an `event: gap` carrying id = its last seq, then the retained events', async () => {
    const server = await startServer({ retention });
    await register(server, ['a']);
    await publish(server, events(25));
    const sse = await SseClient.open(`${server.url}/sse?client=a`, { 'Last-Event-ID': '3' });
    await waitFor(() => sse.events.length === 10, 'the retained events');
    expect(sse.gaps).toEqual([{ from: 4, to: 15, id: '15' }]);
    expectContiguous(sse.events, 10, 16);
    sse.close();
  });

  it('websocket: a {"gap"} frame, then the retained events', async () => {
    const server = await startServer({ retention });
    await register(server, ['a']);
    await publish(server, events(25));
    const ws = await WsClient.open(`${wsUrl(server.url)}/ws?client=a&after=0`);
    await waitFor(() => ws.events.length === 10, 'the retained events');
    expect(ws.gaps).toEqual([{ from: 1, to: 15 }]);
    expectContiguous(ws.events, 10, 16);
    ws.close();
  });

  it('age-based retention: expired events become a gap, also for a client that never came back', async () => {
    const server = await startServer({ retention: { maxAgeMs: 1000 } });
    await register(server, ['a', 'b']);
    await publish(server, events(5));
    // Retention applies when a log is read: poll a until its events have expired.
    const a = await waitFor(async () => {
      const body = (await getJson(`${server.url}/poll?client=a&after=0`)).json as PollBody;
      return body.events.length === 0 ? body : undefined;
    }, 'the events to expire');
    expect(a).toEqual({ gap: { from: 1, to: 5 }, events: [], next: 5 });
    await publish(server, events(2, ['b']));
    const b = (await getJson(`${server.url}/poll?client=b&after=0`)).json as PollBody;
    expect(b.gap).toEqual({ from: 1, to: 5 });
    expectContiguous(b.events, 2, 6);
  });

  it('a client never sees a gap when nothing was lost', async () => {
    const server = await startServer({ retention });
    await register(server, ['a']);
    await publish(server, events(25));
    const body = (await getJson(`${server.url}/poll?client=a&after=15`)).json as PollBody;
    expect(body.gap).toBeUndefined();
    expectContiguous(body.events, 10, 16);
  });
});
