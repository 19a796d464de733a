/** The seqs a client process rebuilds from the schedule are those a contract server would give: the n-th event addressed to a client is its seq n. */
import { describe, expect, it } from 'vitest';
import { ScheduledSeqs } from '../../src/runner/scheduled-seqs.js';
import { publishSchedule, type ScheduleBasis } from '../../src/runner/schedule.js';

const basis = (audience: ScheduleBasis['events']['audience'], seed = 7): ScheduleBasis => ({
  seed,
  events: { arrival: { kind: 'poisson', ratePerSecond: 50 }, payloadBytes: 10, audience },
  clients: { count: 12 },
});

/** What a contract server's per-client counters would say, event by event. */
function countedSeqs(b: ScheduleBasis, untilMs: number): Map<string, number> {
  const next = new Array<number>(b.clients.count).fill(1);
  const seqs = new Map<string, number>();
  let ordinal = 0;
  for (const event of publishSchedule(b, untilMs)) {
    const to = event.to === 'all' ? next.map((_, i) => i) : event.to;
    for (const client of to) seqs.set(`${client}/${ordinal}`, next[client]!++);
    ordinal++;
  }
  return seqs;
}

describe('ScheduledSeqs', () => {
  for (const [name, audience] of [
    ['all', { kind: 'all' }],
    ['one', { kind: 'one' }],
    ['a fraction', { kind: 'fraction', fraction: 0.25 }],
  ] as const) {
    it(`agrees with per-client counting for audience ${name}, for a shard in the middle of the fleet`, () => {
      const b = basis(audience);
      const counted = countedSeqs(b, 2_000);
      const shard = new ScheduledSeqs(b, 2_000, 4, 5);
      const events = [...publishSchedule(b, 2_000)].length;
      expect(events).toBeGreaterThan(50);
      let addressed = 0;
      for (let local = 0; local < 5; local++) {
        for (let ordinal = 0; ordinal < events; ordinal++) {
          const expected = counted.get(`${local + 4}/${ordinal}`) ?? -1;
          if (expected > 0) addressed++;
          expect(shard.seqOf(local, ordinal)).toBe(expected);
        }
      }
      expect(addressed).toBeGreaterThan(0);
      // Past the schedule, or outside the shard: not this client's event.
      expect(shard.seqOf(0, events)).toBe(-1);
      expect(shard.seqOf(5, 0)).toBe(-1);
    });
  }
});
