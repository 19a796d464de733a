/**
 * The promises every transport keeps the same way, as rules made for each transport: refusals
 * of a bad or unknown client and of a bad or future cursor, and per-client contiguous seq with
 * resume after a cursor. Only how events are read differs (receive.ts).
 */
import type { ServedTransportName } from '../transports/catalog.js';
import type { WireEvent } from './context.js';
import { PATHS, receive, type Delivery } from './receive.js';
import { fail, pass, skip, type Outcome, type Rule } from './rule.js';

export type Expected = Omit<WireEvent, 'seq'> & { seq: number };

/** The same check for each transport; the id names the transport, so a failure says where. */
export function deliveryRules(transport: ServedTransportName): Rule[] {
  const endpoint = `GET ${PATHS[transport]}`;
  const rule = (name: string, statement: string, run: Rule['run']): Rule => ({ id: `${transport}.${name}`, transport, endpoint, statement, run });
  return [
    rule(
      'unknown-client-404',
      'a client that was never registered is refused with 404 unknown_client (skipped when the server registers on first use)',
      async (ctx) => {
        const delivery = await receive(ctx, transport, { client: ctx.session.clientId(), after: '0' }, { count: 0 });
        if (delivery.status === 200 || delivery.status === 204 || delivery.status === 101)
          return skip(`the server accepted an unregistered client (${delivery.status}): it registers clients on first use (autoRegister)`);
        return refused(delivery, 404, 'unknown_client', 'client');
      },
    ),
    rule('bad-client-400', 'a client id outside ^[A-Za-z0-9_.-]{1,64}$ is refused with 400 bad_parameter naming "client"', async (ctx) => {
      const delivery = await receive(ctx, transport, { client: 'not a valid id!', after: '0' }, { count: 0 });
      return refused(delivery, 400, 'bad_parameter', 'client');
    }),
    rule('bad-after-400', 'a cursor that is not a plain decimal integer (after=-1) is refused with 400 bad_parameter naming "after"', async (ctx) => {
      const client = await ctx.client();
      const delivery = await receive(ctx, transport, { client, after: '-1' }, { count: 0 });
      return refused(delivery, 400, 'bad_parameter', 'after');
    }),
    rule(
      'seq-contiguous',
      "a client's events arrive in order with seq 1, 2, 3, …, each once, with the published id, intended time and payload",
      async (ctx) => {
        const client = await ctx.client();
        const published = [...(await ctx.publishTo(client, 1)), ...(await ctx.publishTo(client, 2))];
        const delivery = await receive(ctx, transport, { client, after: '0' }, { count: 3 });
        return receivedExactly(delivery, numbered(published, 1));
      },
    ),
    rule('resume-after', 'reading after cursor c delivers exactly the events c+1 … last', async (ctx) => {
      const client = await ctx.client();
      const published = await ctx.publishTo(client, 3);
      const delivery = await receive(ctx, transport, { client, after: '1' }, { count: 2 });
      return receivedExactly(delivery, numbered(published, 1).slice(1));
    }),
    rule('cursor-ahead-400', 'a cursor ahead of the last seq the client was sent is refused with 400 bad_parameter naming "after"', async (ctx) => {
      const client = await ctx.client();
      await ctx.publishTo(client, 1);
      const delivery = await receive(ctx, transport, { client, after: '5' }, { count: 0 });
      return refused(delivery, 400, 'bad_parameter', 'after');
    }),
  ];
}

/** Published events with the seqs their client should see, from `first`. */
export function numbered(events: ReadonlyArray<Omit<WireEvent, 'seq'>>, first: number): Expected[] {
  return events.map((event, i) => ({ ...event, seq: first + i }));
}

/** The answer is a refusal with this status, `error` code and (when given) `parameter`. */
export function refused(delivery: Delivery, status: number, error: string, parameter?: string): Outcome {
  if (delivery.status === 200 || delivery.status === 204 || delivery.status === 101)
    return fail(`accepted (${delivery.status}) instead of refusing with ${status} ${error}`);
  if (delivery.status !== status) return fail(`answered ${delivery.status}, not ${status} ${error}`);
  const body = delivery.json as { error?: unknown; parameter?: unknown } | undefined;
  if (body?.error !== error) return fail(`${status} without {"error": "${error}"} in a JSON body`);
  if (parameter !== undefined && body.parameter !== parameter)
    return fail(`${status} ${error} naming parameter ${JSON.stringify(body.parameter)}, not "${parameter}"`);
  return pass();
}

/** Exactly these events, in this order, and no gap marker. */
export function receivedExactly(delivery: Delivery, expected: readonly Expected[]): Outcome {
  if (delivery.status !== 200 && delivery.status !== 101)
    return fail(`answered ${delivery.status}, not ${delivery.status === 204 ? '200 with the events' : 'the events'}`);
  const gap = delivery.items.find((item) => item.kind === 'gap');
  if (gap) return fail(`a gap marker ${JSON.stringify(gap.gap)} where no event had expired`);
  const events = delivery.items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  return sameSeqs(events, expected) ?? sameEvents(events, expected) ?? pass();
}

/** Which seqs are missing, repeated or out of order, when the seqs differ from those expected. */
function sameSeqs(events: readonly WireEvent[], expected: readonly Expected[]): Outcome | undefined {
  const got = events.map((event) => event.seq);
  const want = expected.map((event) => event.seq);
  if (got.join() === want.join()) return undefined;
  const seen = new Map<number, number>();
  for (const seq of got) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  const missing = want.filter((seq) => !seen.has(seq));
  const repeated = [...seen].filter(([, times]) => times > 1).map(([seq]) => seq);
  const extra = [...seen.keys()].filter((seq) => !want.includes(seq));
  const problems = [
    missing.length > 0 ? `seq ${missing.join(', ')} missing` : '',
    repeated.length > 0 ? `seq ${repeated.join(', ')} repeated` : '',
    extra.length > 0 ? `seq ${extra.join(', ')} not expected` : '',
  ].filter(Boolean);
  return fail(`${problems.length > 0 ? problems.join('; ') : 'seqs out of order'}: expected seqs [${want.join(',')}], got [${got.join(',')}]`);
}

function sameEvents(events: readonly WireEvent[], expected: readonly Expected[]): Outcome | undefined {
  for (const [i, event] of events.entries()) {
    const want = expected[i]!;
    if (event.id !== want.id) return fail(`seq ${event.seq} has id ${event.id}, but POST /publish answered id ${want.id} for it`);
    if (event.t !== want.t) return fail(`seq ${event.seq} has t ${JSON.stringify(event.t)}, not the intended time sent, ${JSON.stringify(want.t)}`);
    if (event.p !== want.p) return fail(`seq ${event.seq} has payload ${JSON.stringify(event.p)}, not the one published, ${JSON.stringify(want.p)}`);
  }
  return undefined;
}
