/** The split of a run over segments: deterministic, disjoint and complete, and each segment's share of the schedule adds up to the whole. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSegment, segmentRange, segmentSchedule } from '../../src/runner/segment.js';
import { publishSchedule, type ScheduleBasis } from '../../src/runner/schedule.js';
import { loadScenarioText } from '../../src/scenario/load.js';

describe('parseSegment', () => {
  it('reads I/N with 1 ≤ I ≤ N', () => {
    expect(parseSegment('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseSegment('1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/4', '5/4', '2', '2/0', '-1/4', '1.5/4', 'a/b', '2/4/8', ''])('refuses %j with the fix', (text) => {
    const problem = parseSegment(text);
    expect(typeof problem).toBe('string');
    expect(problem).toContain(`--segment ${JSON.stringify(text)}`);
    expect(problem).toContain('1 ≤ I ≤ N');
  });
});

describe('segmentRange', () => {
  it('covers every client exactly once, in order, sizes within one of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 1, max: 64 }), (clients, count) => {
        const ranges = Array.from({ length: count }, (_, i) => segmentRange({ index: i + 1, count }, clients));
        let next = 0;
        for (const range of ranges) {
          expect(range.first).toBe(next);
          next += range.count;
        }
        expect(next).toBe(clients);
        const sizes = ranges.map((r) => r.count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is the same every time for the same scenario', () => {
    expect(segmentRange({ index: 3, count: 4 }, 1_001)).toEqual(segmentRange({ index: 3, count: 4 }, 1_001));
    expect(segmentRange({ index: 3, count: 4 }, 1_001)).toEqual({ first: 500, count: 250 });
  });
});

describe('segmentSchedule', () => {
  const basis = (audience: string, arrival = 'poisson'): ScheduleBasis => {
    const loaded = loadScenarioText(
      `name: s\nduration: 5s\nseed: 3\nclients: { count: 103 }\nevents: { rate: 40/s, arrival: ${arrival}, payload: 10B, audience: ${JSON.stringify(audience)} }\ntransports: { sse: {} }\n`,
      's.yaml',
    );
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
    return loaded.scenario;
  };

  it.each(['one', 'all', '10%'])('gives each delivery of the whole schedule (audience %s) to exactly one segment, at its intended time', (audience) => {
    const scenario = basis(audience);
    const whole = [...publishSchedule(scenario, 5_000)];
    const deliveries = (events: Iterable<{ atMs: number; to: number[] | 'all' }>) =>
      [...events].flatMap((e) => (e.to === 'all' ? Array.from({ length: 103 }, (_, i) => `${e.atMs}:${i}`) : e.to.map((i) => `${e.atMs}:${i}`)));
    const expected = deliveries(whole).sort();
    const parts = Array.from({ length: 4 }, (_, i) =>
      deliveries(segmentSchedule(publishSchedule(scenario, 5_000), segmentRange({ index: i + 1, count: 4 }, 103))),
    );
    expect(parts.flat().sort()).toEqual(expected);
    for (const [i, part] of parts.entries()) {
      const { first, count } = segmentRange({ index: i + 1, count: 4 }, 103);
      for (const delivery of part) expect(Number(delivery.split(':')[1])).toSatisfy((c: number) => c >= first && c < first + count);
    }
  });
});
