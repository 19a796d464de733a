/**
 * `run --segment I/N --start-at TIME`: what a segment of a run over several machines needs, checked
 * before anything runs. Whatever cannot be split exactly over machines yet is refused, not approximated.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/scenario.js';
import type { TransportPlan } from '../transports/catalog.js';
import { parseSegment, type SegmentSpec } from '../runner/segment.js';
import type { SegmentRun } from '../runner/run.js';
import { UsageError } from './exit-codes.js';

/** Furthest ahead a start may be: a typo in the date must not leave pods waiting for days. */
const MAX_START_AHEAD_MS = 24 * 3_600_000;

export interface SegmentFlags {
  segment?: string;
  startAt?: string;
}

/** The segment flags, or undefined for a whole run; a UsageError with the fix for anything that cannot work. */
export function parseSegmentFlags(flags: SegmentFlags, nowMs: number): { spec: SegmentSpec; startAtMs: number } | undefined {
  if (flags.segment === undefined) {
    if (flags.startAt !== undefined) throw new UsageError('--start-at belongs to a segment: add --segment I/N, or drop --start-at');
    return undefined;
  }
  const spec = parseSegment(flags.segment);
  if (typeof spec === 'string') throw new UsageError(spec);
  if (flags.startAt === undefined) {
    throw new UsageError(
      '--segment needs --start-at TIME, the moment every segment starts its schedule, e.g. --start-at 2026-11-29T12:00:00Z (docs/distributed.md)',
    );
  }
  const startAtMs = Date.parse(flags.startAt);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(flags.startAt) || Number.isNaN(startAtMs)) {
    throw new UsageError(`--start-at ${JSON.stringify(flags.startAt)}: write an ISO 8601 time with its zone, e.g. 2026-11-29T12:00:00Z`);
  }
  if (startAtMs <= nowMs) {
    throw new UsageError(
      `--start-at ${flags.startAt} is ${((nowMs - startAtMs) / 1_000).toFixed(1)} s in the past: give a time far enough ahead for every segment to connect`,
    );
  }
  if (startAtMs - nowMs > MAX_START_AHEAD_MS) throw new UsageError(`--start-at ${flags.startAt} is more than 24 hours ahead: give a nearer time`);
  return { spec, startAtMs };
}

/** What a segmented run needs of the rest of the command line and of the scenario. */
export function checkSegmentable(
  scenario: Scenario,
  transports: readonly TransportPlan[],
  context: { targets: number; adapter: string | undefined; repeat: number },
): void {
  const refuse = (why: string) => {
    throw new UsageError(`--segment: ${why}`);
  };
  if (context.targets !== 1 || context.adapter === undefined) {
    refuse('the segments must share one server: add --target http://HOST:PORT, e.g. a push-bench serve --host 0.0.0.0 that every machine reaches');
  }
  if (context.adapter !== 'contract') refuse(`--target speaks ${context.adapter}; segments need a server of the wire contract (docs/protocol.md)`);
  if (transports.length !== 1) {
    refuse(
      `a segmented run measures one transport (segments never reset the shared server, so each transport needs a fresh one): add --transports with one of ${transports.map((t) => t.name).join(', ')}`,
    );
  }
  if (context.repeat > 1) refuse('--repeat cannot be split over machines: run the segmented run again instead');
  const unsupported = [
    scenario.clients.offline ? 'clients.offline' : undefined,
    scenario.clients.slow ? 'clients.consume (slow clients)' : undefined,
    scenario.chat ? 'chat' : undefined,
    scenario.network ? 'network' : undefined,
    scenario.intermediary ? 'intermediary' : undefined,
  ].filter((key) => key !== undefined);
  if (unsupported.length > 0)
    refuse(`${scenario.name} sets ${unsupported.join(', ')}, which a segmented run cannot merge exactly yet: remove it or run on one machine`);
}

/**
 * The run's id, the same in every segment without talking to each other: derived from what makes
 * them one run (the scenario, its transport, the agreed start and the number of segments).
 */
export function segmentRunId(scenario: Scenario, transport: TransportPlan, segment: Pick<SegmentRun, 'spec' | 'startAtMs'>): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([scenario.name, scenario.seed, scenario.clients.count, scenario.events, transport, segment.startAtMs, segment.spec.count]))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
