import { DEFAULT_RETENTION, type RetentionOptions } from '../server/options.js';
import type { Scenario } from '../scenario/scenario.js';
import { transportModule } from '../transports/catalog.js';

/**
 * Time an event may wait on the server beyond the longest a transport leaves it there by design
 * (one poll interval) or the scenario's drain: a dropped stream's reconnect (at most 5 s of
 * backoff) several times over.
 */
const SPARE_MS = 30_000;

/**
 * The reference server's retention for a run: what this scenario's clients need, not the
 * server's two minutes. The store keeps each event until its clients have it or it ages out, so
 * the age bound is what the store costs in a long run (a soak's memory per connection).
 *
 * Where a client may be away or behind for a time the scenario does not bound (clients that go
 * offline or read slowly, a shaped link or a proxy that cuts connections), the store is its
 * buffer and what it drops is part of what is measured: those runs keep the documented default.
 * The count bound stays the default's: the age bound is the tighter one below 8 events a second
 * per client, and past that the count is what bounds a slow reader's backlog.
 */
export function retentionFor(scenario: Scenario): RetentionOptions {
  const { clients, network, intermediary } = scenario;
  if (clients.offline || clients.slow || network || intermediary) return DEFAULT_RETENTION;
  const heldByDesignMs = Math.max(scenario.drainMs ?? 0, ...scenario.transports.map((plan) => transportModule(plan.name).drainExtraMs(plan.settings)));
  return { ...DEFAULT_RETENTION, maxAgeMs: Math.min(DEFAULT_RETENTION.maxAgeMs, SPARE_MS + 2 * heldByDesignMs) };
}
