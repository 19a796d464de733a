/** GET /sse: the stream's headers, resume with Last-Event-ID, and heartbeat comments. */
import { deliveryRules, numbered, receivedExactly, refused } from './delivery.js';
import { openSse, receive } from './receive.js';
import { fail, pass, type Rule } from './rule.js';
import { heartbeatRule, streamHeadersRule } from './stream-rules.js';

export const sseRules: Rule[] = [
  ...deliveryRules('sse'),
  streamHeadersRule('sse', 'text/event-stream', 'no-cache'),
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
  heartbeatRule('sse', 'a comment', async (ctx, path) => {
    const stream = await openSse(ctx, path, {}, ctx.record(`GET ${path}`));
    return { stream, heartbeats: () => stream.comments.length };
  }),
];
