/**
 * Gap markers past retention. One client of the check is published to in batches until a poll
 * shows that its first events expired (the contract's default bound is 1,000 events a client);
 * then every transport must announce the same gap before the retained events. A server that
 * keeps more than the check tries is skipped, not failed: its bound is a choice.
 */
import { servedModules, type ServedTransportName } from '../transports/catalog.js';
import { spec, type Gap, type RuleContext } from './context.js';
import { PATHS, receive } from './receive.js';
import { Broken, fail, pass, skip, type Rule } from './rule.js';

/** Events published at most before the check concludes that retention is above what it tried. */
const RETENTION_TRIED = 5_000;
const BATCH = 500;

interface Expired {
  client: string;
  gap: Gap;
}

/** The client pushed past retention, with the gap a poll from 0 showed; undefined when no gap came. */
async function pastRetention(ctx: RuleContext): Promise<Expired | undefined> {
  const client = await ctx.client();
  for (let published = 0; published < RETENTION_TRIED; published += BATCH) {
    await ctx.publish(Array.from({ length: BATCH }, (_, i) => spec([client], published + i)));
    const answer = await ctx.http('GET', `/poll?client=${client}&after=0&limit=1`);
    if (answer.status !== 200) throw new Broken(`GET /poll answered ${answer.status}, not 200`);
    const gap = (answer.json as { gap?: Gap } | undefined)?.gap;
    if (gap) return { client, gap };
  }
  return undefined;
}

function gapRule(transport: ServedTransportName): Rule {
  return {
    id: `${transport}.gap-past-retention`,
    transport,
    endpoint: `GET ${PATHS[transport]}`,
    statement: `reading from 0 after retention dropped events gives a gap marker {"from": 1, "to": first - 1} first, then seq first, … (publishes up to ${RETENTION_TRIED} events)`,
    timeoutMs: 20_000,
    async run(ctx) {
      // One client for every transport: the publishing is done once, by whichever rule runs first.
      const expired = await ctx.session.once('past-retention', ctx, () => pastRetention(ctx));
      if (!expired) return skip(`no gap after ${RETENTION_TRIED} events to one client: retention is above what the check tries`);
      const delivery = await receive(ctx, transport, { client: expired.client, after: '0' }, { count: 2 });
      if (delivery.status !== 200 && delivery.status !== 101) return fail(`answered ${delivery.status}, not the gap and the events`);
      const [first, second] = delivery.items;
      if (first?.kind !== 'gap') return fail('the first thing delivered is not a gap marker');
      if (first.gap.from !== 1) return fail(`the gap starts at ${first.gap.from}, not 1 (the cursor + 1)`);
      // The poll that found the gap and this read may see retention at different points; the gap only grows.
      if (first.gap.to < expired.gap.to) return fail(`the gap ends at ${first.gap.to}, before the ${expired.gap.to} a poll announced`);
      if (transport === 'sse' && first.sseId !== String(first.gap.to))
        return fail(`the gap event has id ${JSON.stringify(first.sseId)}, not its "to" (${first.gap.to})`);
      if (second?.kind !== 'event' || second.event.seq !== first.gap.to + 1)
        return fail(
          `after the gap ${JSON.stringify(first.gap)} comes ${second ? JSON.stringify(second.kind === 'event' ? second.event : second.gap) : 'nothing'}, not seq ${first.gap.to + 1}`,
        );
      return pass();
    },
  };
}

// A secure transport is served on the reference server's own TLS listener only: a target URL has none to check.
export const retentionRules: Rule[] = servedModules()
  .filter((module) => module.server.secure === undefined)
  .map((module) => gapRule(module.name as ServedTransportName));
