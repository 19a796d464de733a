/** The control endpoints: health, registration, publish and the answers to requests that are wrong. */
import { spec, type Published } from './context.js';
import { fail, pass, skip, type Outcome, type Rule } from './rule.js';

const DECIMAL = /^\d{1,20}$/;

export const controlRules: Rule[] = [
  {
    id: 'health.ok',
    transport: null,
    endpoint: 'GET /health',
    statement: 'GET /health answers 200 {"ok": true}',
    async run(ctx) {
      const answer = await ctx.http('GET', '/health');
      if (answer.status !== 200) return fail(`answered ${answer.status}, not 200`);
      return (answer.json as { ok?: unknown } | undefined)?.ok === true ? pass() : fail('the body is not {"ok": true}');
    },
  },
  {
    id: 'clients.register',
    transport: null,
    endpoint: 'POST /clients',
    statement: 'POST /clients {"ids": [...]} answers 200 {"registered": N}, N counting every client the server knows',
    async run(ctx) {
      const ids = [ctx.session.clientId(), ctx.session.clientId()];
      const answer = await ctx.http('POST', '/clients', { body: JSON.stringify({ ids }), control: true });
      if (answer.status !== 200) return fail(`answered ${answer.status}, not 200`);
      const registered = (answer.json as { registered?: unknown } | undefined)?.registered;
      if (!Number.isInteger(registered)) return fail('the body has no integer "registered"');
      return (registered as number) >= ids.length
        ? pass()
        : fail(`"registered": ${String(registered)} counts fewer clients than the ${ids.length} just registered`);
    },
  },
  {
    id: 'clients.register-idempotent',
    transport: null,
    endpoint: 'POST /clients',
    statement: 'registering a known client again keeps it as it was: its events stay (read back with GET /poll)',
    async run(ctx) {
      const client = await ctx.client();
      const [event] = await ctx.publishTo(client, 1);
      await ctx.register([client]);
      const answer = await ctx.http('GET', `/poll?client=${client}&after=0`);
      if (answer.status !== 200) return fail(`GET /poll after registering again answered ${answer.status}, not 200`);
      const events = (answer.json as { events?: Array<{ seq?: unknown; id?: unknown }> } | undefined)?.events;
      const first = Array.isArray(events) ? events[0] : undefined;
      return first?.seq === 1 && first.id === event!.id
        ? pass()
        : fail(`after registering again the client's first event is not seq 1 with id ${event!.id}: the registration reset the client`);
    },
  },
  {
    id: 'publish.answer-object',
    transport: null,
    endpoint: 'POST /publish',
    statement: 'publishing one event spec (an object) answers 200 {"id", "recipients", "publishedAt"} (an object)',
    async run(ctx) {
      const client = await ctx.client();
      const answer = await ctx.http('POST', '/publish', { body: JSON.stringify(spec([client], 0)), control: true });
      if (answer.status !== 200) return fail(`answered ${answer.status}, not 200`);
      if (Array.isArray(answer.json)) return fail('answered an array for one event spec; an object is answered with an object');
      return publishedShape(answer.json, 1, 'the answer');
    },
  },
  {
    id: 'publish.answer-array',
    transport: null,
    endpoint: 'POST /publish',
    statement: 'publishing an array of specs answers an array of as many {"id", "recipients", "publishedAt"}, ids increasing',
    async run(ctx) {
      const client = await ctx.client();
      const answer = await ctx.http('POST', '/publish', { body: JSON.stringify([spec([client], 0), spec([client], 1)]), control: true });
      if (answer.status !== 200) return fail(`answered ${answer.status}, not 200`);
      if (!Array.isArray(answer.json) || answer.json.length !== 2) return fail('the answer to an array of 2 specs is not an array of 2');
      for (const [i, item] of (answer.json as unknown[]).entries()) {
        const shape = publishedShape(item, 1, `answer [${i}]`);
        if (shape.verdict !== 'pass') return shape;
      }
      const [a, b] = answer.json as Published[];
      return b!.id > a!.id ? pass() : fail(`ids ${a!.id} then ${b!.id}: ids are given in publish order`);
    },
  },
  {
    id: 'publish.unknown-recipient-404',
    transport: null,
    endpoint: 'POST /publish',
    statement: 'publishing to a client that was never registered is refused with 404 unknown_client (skipped when the server registers on first use)',
    async run(ctx) {
      const answer = await ctx.http('POST', '/publish', { body: JSON.stringify(spec([ctx.session.clientId()], 0)), control: true });
      if (answer.status === 200) return skip('the server published to an unregistered client: it registers clients on first use (autoRegister)');
      return refusal(answer.status, answer.json, 404, 'unknown_client');
    },
  },
  {
    id: 'publish.bad-json-400',
    transport: null,
    endpoint: 'POST /publish',
    statement: 'a publish body that is not JSON is refused with 400 bad_json',
    async run(ctx) {
      const answer = await ctx.http('POST', '/publish', { body: '{"to": "all", ', control: true });
      return refusal(answer.status, answer.json, 400, 'bad_json');
    },
  },
  {
    id: 'publish.bad-spec-400',
    transport: null,
    endpoint: 'POST /publish',
    statement: 'an event spec with an unknown field is refused with 400 bad_parameter, and nothing is published',
    async run(ctx) {
      const client = await ctx.client();
      const answer = await ctx.http('POST', '/publish', { body: JSON.stringify({ ...spec([client], 0), colour: 'blue' }), control: true });
      const outcome = refusal(answer.status, answer.json, 400, 'bad_parameter');
      if (outcome.verdict !== 'pass') return outcome;
      const poll = await ctx.http('GET', `/poll?client=${client}&after=0`);
      const events = (poll.json as { events?: unknown[] } | undefined)?.events;
      return poll.status === 200 && Array.isArray(events) && events.length > 0 ? fail('the refused event was delivered all the same') : pass();
    },
  },
  {
    id: 'http.unknown-path-404',
    transport: null,
    endpoint: 'GET /<unknown>',
    statement: 'a path the contract does not list answers 404 not_found',
    async run(ctx) {
      const answer = await ctx.http('GET', `/no-such-path-${ctx.session.clientId()}`);
      return refusal(answer.status, answer.json, 404, 'not_found');
    },
  },
  {
    id: 'http.wrong-method-405',
    transport: null,
    endpoint: 'DELETE /health',
    statement: 'a listed path with another method answers 405 method_not_allowed with an Allow header',
    async run(ctx) {
      const answer = await ctx.http('DELETE', '/health');
      const outcome = refusal(answer.status, answer.json, 405, 'method_not_allowed');
      if (outcome.verdict !== 'pass') return outcome;
      return answer.headers.allow === undefined ? fail('405 without an Allow header naming the right method') : pass();
    },
  },
];

function publishedShape(value: unknown, recipients: number, what: string): Outcome {
  const item = value as Partial<Published> | undefined;
  if (!item || typeof item !== 'object') return fail(`${what} is not an object`);
  if (!Number.isInteger(item.id) || (item.id as number) < 1) return fail(`${what} has no integer "id" ≥ 1`);
  if (item.recipients !== recipients) return fail(`${what} says "recipients": ${JSON.stringify(item.recipients)}, not ${recipients}`);
  if (typeof item.publishedAt !== 'string' || !DECIMAL.test(item.publishedAt)) return fail(`${what} has no "publishedAt" as a decimal string of nanoseconds`);
  return pass();
}

export function refusal(status: number, json: unknown, want: number, error: string): Outcome {
  if (status !== want) return fail(`answered ${status}, not ${want} ${error}`);
  return (json as { error?: unknown } | undefined)?.error === error ? pass() : fail(`${want} without {"error": "${error}"} in a JSON body`);
}
