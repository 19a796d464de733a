/** Promises a held stream keeps whatever its format (SSE, HTTP streaming): its headers, and heartbeats on an idle stream. */
import type { ServedTransportName } from '../transports/catalog.js';
import type { RuleContext } from './context.js';
import { PATHS, receive, type BodyStream } from './receive.js';
import { fail, pass, type Rule } from './rule.js';

/** The heartbeat asked for: the smallest the contract allows is 100 ms. */
const HEARTBEAT_MS = 200;

/** A stream answers 200 with this Content-Type and a Cache-Control that says `cacheControl`. */
export function streamHeadersRule(transport: ServedTransportName, contentType: string, cacheControl: string): Rule {
  return {
    id: `${transport}.stream-headers`,
    transport,
    endpoint: `GET ${PATHS[transport]}`,
    statement: `a stream answers 200 with Content-Type: ${contentType} and Cache-Control: ${cacheControl}`,
    async run(ctx) {
      const client = await ctx.client();
      const delivery = await receive(ctx, transport, { client, after: '0' }, { count: 0 });
      if (delivery.status !== 200) return fail(`answered ${delivery.status}, not 200`);
      const type = String(delivery.headers['content-type'] ?? '');
      if (!type.startsWith(contentType)) return fail(`Content-Type ${JSON.stringify(type)}, not ${contentType}`);
      const cache = String(delivery.headers['cache-control'] ?? '');
      return cache.includes(cacheControl) ? pass() : fail(`Cache-Control ${JSON.stringify(cache)}, not ${cacheControl}`);
    },
  };
}

/** An open stream and the heartbeats it carried so far. */
interface Beating {
  stream: BodyStream;
  heartbeats: () => number;
}

/** With heartbeat=200, an idle stream carries a heartbeat (`what`, as the format spells it) within about the interval. */
export function heartbeatRule(transport: ServedTransportName, what: string, open: (ctx: RuleContext, path: string) => Promise<Beating>): Rule {
  return {
    id: `${transport}.heartbeat`,
    transport,
    endpoint: `GET ${PATHS[transport]}`,
    statement: `with heartbeat=${HEARTBEAT_MS}, an idle stream carries ${what} within about the interval`,
    timeoutMs: 10_000,
    async run(ctx) {
      const client = await ctx.client();
      const { stream, heartbeats } = await open(ctx, `${PATHS[transport]}?client=${client}&after=0&heartbeat=${HEARTBEAT_MS}`);
      if (stream.status !== 200) return fail(`answered ${stream.status}, not 200`);
      const opened = performance.now();
      // Three intervals and some: a loaded machine is late, a server without heartbeats is silent for good.
      const limitMs = HEARTBEAT_MS * 3 + 2_000;
      let ended = false;
      void stream.ended.then(() => (ended = true));
      while (heartbeats() === 0 && !ended && performance.now() - opened < limitMs) await new Promise((resolve) => setTimeout(resolve, 10));
      const heard = heartbeats() > 0;
      stream.close();
      return !heard ? fail(`no heartbeat (${what}) within ${limitMs} ms of an idle stream`) : pass();
    },
  };
}
