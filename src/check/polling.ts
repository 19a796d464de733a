/** GET /poll: answers at once, with what the client has after its cursor. */
import { deliveryRules } from './delivery.js';
import { fail, pass, type Rule } from './rule.js';

export const pollingRules: Rule[] = [
  ...deliveryRules('polling'),
  {
    id: 'polling.empty-answer',
    transport: 'polling',
    endpoint: 'GET /poll',
    statement: 'a poll with nothing new answers 200 {"events": [], "next": c} at once, c being the cursor sent',
    async run(ctx) {
      const client = await ctx.client();
      await ctx.publishTo(client, 1);
      const answer = await ctx.http('GET', `/poll?client=${client}&after=1`);
      if (answer.status !== 200) return fail(`answered ${answer.status}, not 200`);
      const body = answer.json as { events?: unknown; next?: unknown } | undefined;
      if (!Array.isArray(body?.events) || body.events.length !== 0) return fail('"events" is not an empty array');
      return body.next === 1 ? pass() : fail(`"next" is ${JSON.stringify(body.next)}, not the cursor sent (1)`);
    },
  },
];
