/** GET /sse: the stream's headers, resume with Last-Event-ID, and heartbeat comments. */
import { deliveryRules, numbered, receivedExactly, refused } from './delivery.js';
import { openSse, receive } from './receive.js';
import { fail, pass, type Rule } from './rule.js';

/** The heartbeat asked for: the smallest the contract allows is 100 ms. */
const HEARTBEAT_MS = 200;

export const sseRules: Rule[] = [
  ...deliveryRules('sse'),
  {
    id: 'sse.stream-headers',
    transport: 'sse',
    endpoint: 'GET /sse',
    statement: 'a stream answers 200 with Content-Type: text/event-stream and Cache-Control: no-cache',
    async run(ctx) {
      const client = await ctx.client();
      const delivery = await receive(ctx, 'sse', { client, after: '0' }, { count: 0 });
      if (delivery.status !== 200) return fail(`answered ${delivery.status}, not 200`);
      const type = String(delivery.headers['content-type'] ?? '');
      if (!type.startsWith('text/event-stream')) return fail(`Content-Type ${JSON.stringify(type)}, not text/event-stream`);
      const cache = String(delivery.headers['cache-control'] ?? '');
      return cache.includes('no-cache') ? pass() : fail(`Cache-Control ${JSON.stringify(cache)}, not no-cache`);
    },
  },
  {
    id: 'sse.resume-last-event-id',
    transport: 'sse',
    endpoint: 'GET /sse',
    statement: 'a Last-Event-ID header resumes after that seq, and wins over after=',
    async run(ctx) {
      const client = await ctx.client();
      const published = await ctx.publishTo(client, 3);
      const delivery = await receive(ctx, 'sse', { client, after: '0' }, { count: 2, headers: { 'last-event-id': '1' } });
      const outcome = receivedExactly(delivery, numbered(published, 1).slice(1));
      if (outcome.verdict !== 'pass') return outcome;
      const ids = delivery.items.map((item) => item.sseId);
      return ids.join() === '2,3' ? pass() : fail(`the events carry SSE ids [${ids.join(',')}], not their seqs [2,3]`);
    },
  },
  {
    id: 'sse.last-event-id-ahead-400',
    transport: 'sse',
    endpoint: 'GET /sse',
    statement: 'a Last-Event-ID ahead of the last seq the client was sent is refused with 400 bad_parameter naming "Last-Event-ID"',
    async run(ctx) {
      const client = await ctx.client();
      await ctx.publishTo(client, 1);
      const delivery = await receive(ctx, 'sse', { client }, { count: 0, headers: { 'last-event-id': '5' } });
      return refused(delivery, 400, 'bad_parameter', 'Last-Event-ID');
    },
  },
  {
    id: 'sse.heartbeat',
    transport: 'sse',
    endpoint: 'GET /sse',
    statement: `with heartbeat=${HEARTBEAT_MS}, an idle stream carries a comment within about the interval`,
    timeoutMs: 10_000,
    async run(ctx) {
      const client = await ctx.client();
      const path = `/sse?client=${client}&after=0&heartbeat=${HEARTBEAT_MS}`;
      const stream = await openSse(ctx, path, {}, ctx.record(`GET ${path}`));
      if (stream.status !== 200) return fail(`answered ${stream.status}, not 200`);
      const opened = performance.now();
      // Three intervals and some: a loaded machine is late, a server without heartbeats is silent for good.
      const limitMs = HEARTBEAT_MS * 3 + 2_000;
      let ended = false;
      void stream.ended.then(() => (ended = true));
      while (stream.comments.length === 0 && !ended && performance.now() - opened < limitMs) await new Promise((resolve) => setTimeout(resolve, 10));
      const heard = stream.comments.length > 0;
      stream.close();
      return !heard ? fail(`no comment within ${limitMs} ms of an idle stream`) : pass();
    },
  },
];
