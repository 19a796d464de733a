/** GET /long-poll: held until an event comes for the client or the timeout passes (then 204). */
import { deliveryRules } from './delivery.js';
import { fail, pass, type Rule } from './rule.js';

/** The hold asked for in the timeout rule: long enough to tell a hold from an answer at once. */
const HOLD_MS = 400;
/** How long the wake-up rule waits before it publishes: the poll must still be held then. */
const PUBLISH_AFTER_MS = 200;

export const longPollingRules: Rule[] = [
  ...deliveryRules('long-polling'),
  {
    id: 'long-polling.timeout-204',
    transport: 'long-polling',
    endpoint: 'GET /long-poll',
    statement: `a long poll with nothing to send is held for its timeout (${HOLD_MS} ms here), then answered 204 with no body`,
    async run(ctx) {
      const client = await ctx.client();
      const started = performance.now();
      const answer = await ctx.http('GET', `/long-poll?client=${client}&after=0&timeout=${HOLD_MS}`, { waitMs: HOLD_MS + ctx.waitMs });
      const heldMs = Math.round(performance.now() - started);
      if (answer.status !== 204) return fail(`answered ${answer.status} after ${heldMs} ms, not 204`);
      if (answer.text !== '') return fail('a 204 with a body');
      // A little under the timeout: the server's timer and this one do not start at the same instant.
      return heldMs >= HOLD_MS * 0.9 ? pass() : fail(`answered 204 after ${heldMs} ms, before the ${HOLD_MS} ms timeout`);
    },
  },
  {
    id: 'long-polling.wakes-on-publish',
    transport: 'long-polling',
    endpoint: 'GET /long-poll',
    statement: 'a held long poll is answered 200 with the event as soon as one is published for its client, not at its timeout',
    async run(ctx) {
      const client = await ctx.client();
      const timeoutMs = ctx.waitMs;
      let answeredAt: number | undefined;
      const held = ctx.http('GET', `/long-poll?client=${client}&after=0&timeout=${timeoutMs}`, { waitMs: timeoutMs + 1_000 }).then((answer) => {
        answeredAt = performance.now();
        return answer;
      });
      // Awaited below; until then a refusal must not count as unhandled.
      held.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, PUBLISH_AFTER_MS));
      if (answeredAt !== undefined) {
        const early = await held;
        return fail(`answered ${early.status} before anything was published for the client`);
      }
      const publishedAt = performance.now();
      const [event] = await ctx.publishTo(client, 1);
      const answer = await held;
      const afterMs = Math.round((answeredAt ?? performance.now()) - publishedAt);
      if (answer.status !== 200) return fail(`answered ${answer.status} ${afterMs} ms after the publish, not 200 with the event`);
      const events = (answer.json as { events?: Array<{ seq?: unknown; id?: unknown }> } | undefined)?.events;
      if (!Array.isArray(events) || events[0]?.seq !== 1 || events[0].id !== event!.id)
        return fail(`the answer does not carry the event published (seq 1, id ${event!.id})`);
      // Half the timeout: a server that answered at its timeout, not at the publish, is well past it.
      return afterMs < timeoutMs / 2 ? pass() : fail(`answered ${afterMs} ms after the publish: at the timeout, not on the publish`);
    },
  },
];
