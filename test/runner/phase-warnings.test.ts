/** The runner's own warnings: the faults that make a run fail say so with their numbers. */
import { describe, expect, it } from 'vitest';
import { emptySnapshot } from '../../src/metrics/snapshot.js';
import type { FleetReport } from '../../src/runner/client-fleet.js';
import { phaseWarnings } from '../../src/runner/phase.js';
import { emptyPublishOutcome, type PublishOutcome } from '../../src/runner/publisher.js';
import { failsRun } from '../../src/report/warning-codes.js';

const plan = { name: 'sse', settings: { heartbeatMs: null } } as const;
const connected = { connected: 10, failed: 0 };

function fleet(delivered: number): FleetReport {
  const snapshot = emptySnapshot();
  snapshot.deliveries.delivered = delivered;
  return { snapshot, failures: { counts: {}, examples: [] }, skippedPolls: 0, lost: [], stalls: [], seconds: [] };
}

function published(overrides: Partial<PublishOutcome>): PublishOutcome {
  return { ...emptyPublishOutcome(), published: 10, expected: 100, expectedAnswered: 100, claimed: 100, ...overrides };
}

describe('phaseWarnings', () => {
  it('an honest server and clients that got everything: no warning', () => {
    expect(phaseWarnings(plan, connected, fleet(100), published({}))).toEqual([]);
  });

  it('a server that claimed fewer recipients than the schedule addressed (a mid-run reset) fails the run, with both counts', () => {
    const warnings = phaseWarnings(plan, connected, fleet(27), published({ claimed: 27 }));
    const mismatch = warnings.find((w) => w.code === 'recipients-mismatch');
    expect(mismatch?.message).toContain('the schedule addressed 100 deliveries');
    expect(mismatch?.message).toContain('fanned them out to 27');
    expect(failsRun('recipients-mismatch')).toBe(true);
  });

  it('a transport that delivered none of what was expected fails the run', () => {
    const warnings = phaseWarnings(plan, connected, fleet(0), published({}));
    expect(warnings.map((w) => w.code)).toEqual(['nothing-delivered']);
    expect(failsRun('nothing-delivered')).toBe(true);
  });

  it('a stalled client process is named with its longest gap; it does not fail the run', () => {
    const report = { ...fleet(100), stalls: [{ shard: 1, pid: 4242, count: 2, longestMs: 5_100 }] };
    const [stall] = phaseWarnings(plan, connected, report, published({}));
    expect(stall).toMatchObject({ code: 'generator-stalled', transport: 'sse' });
    expect(stall?.message).toContain('client process 1 (pid 4242) sent nothing for up to 5.1 s (2 times)');
    expect(failsRun('generator-stalled')).toBe(false);
  });
});
