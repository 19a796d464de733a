/**
 * A poll answer is bounded (events and length): a client far behind on large events gets them
 * over several answers, each saying "more", never a 500 for a body past V8's string limit.
 */
import { describe, expect, it } from 'vitest';
import { createPollingClient } from '../../src/transports/polling/client.js';
import { makeContext, waitFor } from '../transports/helpers.js';
import { getJson, publish, register, startServer, type PollBody } from './helpers.js';

const MIB = 1024 * 1024;

describe('bounded poll answers', () => {
  it('carries at most maxAnswerBytes (at least one event) and says more; the rest follows from next', async () => {
    const server = await startServer({ maxAnswerBytes: 3 * MIB, retention: { maxEventsPerClient: 100 } });
    await register(server, ['a']);
    for (let i = 0; i < 8; i++) await publish(server, { to: ['a'], payloadBytes: MIB });
    const seen: number[] = [];
    let after = 0;
    for (let round = 0; round < 8 && seen.length < 8; round++) {
      const { status, json } = await getJson(`${server.url}/poll?client=a&after=${after}`);
      const body = json as PollBody & { more?: boolean };
      expect(status).toBe(200);
      expect(body.events.length).toBeGreaterThanOrEqual(1);
      expect(body.events.length).toBeLessThanOrEqual(2);
      seen.push(...body.events.map((e) => e.seq));
      expect(body.more).toBe(seen.length < 8 ? true : undefined);
      after = body.next;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('carries at most &limit events on /poll and /long-poll; limit=0 is a 400', async () => {
    const server = await startServer();
    await register(server, ['a']);
    for (let i = 0; i < 5; i++) await publish(server, { to: ['a'], payloadBytes: 1 });
    const poll = await getJson(`${server.url}/poll?client=a&after=0&limit=2`);
    expect(poll.json).toMatchObject({ next: 2, more: true });
    const longPoll = await getJson(`${server.url}/long-poll?client=a&after=2&limit=2&timeout=100`);
    expect(longPoll.json).toMatchObject({ next: 4, more: true });
    const rest = await getJson<PollBody & { more?: boolean }>(`${server.url}/poll?client=a&after=4&limit=2`);
    expect(rest.json).toEqual(expect.objectContaining({ next: 5 }));
    expect(rest.json?.more).toBeUndefined();
    expect((await getJson(`${server.url}/poll?client=a&after=0&limit=0`)).json).toMatchObject({ error: 'bad_parameter', parameter: 'limit' });
  });

  it('the polling client fetches the rest at once when an answer says more', async () => {
    const server = await startServer({ maxAnswerBytes: 1_000 });
    await register(server, ['c1']);
    for (let i = 0; i < 30; i++) await publish(server, { to: ['c1'], payloadBytes: 300 });
    // An interval far longer than the test: only "more" can bring all 30 events.
    const ctx = makeContext(server.url, { intervalMs: 3_600_000, mode: 'fixed' as const });
    const client = createPollingClient(ctx);
    try {
      await client.start();
      await waitFor(() => ctx.sink.totalEvents() >= 30, 'thirty events', 10_000);
      expect(ctx.sink.seqs(0)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(ctx.sink.requests.length).toBeGreaterThan(1);
    } finally {
      await client.stop();
    }
  });
});
