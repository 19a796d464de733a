import { describe, expect, it } from 'vitest';
import { ALPHA, judge, relativeChange } from '../../src/compare/verdict.js';

const exact = (direction: 'lower' | 'higher' | 'none') => ({ direction, noise: 'exact' as const, floor: 0 });
const at10 = (baseline: number | null, current: number | null, more: { baselineRepeats?: number[]; currentRepeats?: number[] } = {}) =>
  judge({ baseline, current, ...more }, exact('lower'), 0.1);

describe('verdict by tolerance alone (no repeats)', () => {
  it("calls a change past the tolerance worse or better by the figure's direction", () => {
    expect(at10(100, 125)).toMatchObject({ verdict: 'worse', difference: 25, relative: 0.25, basis: 'tolerance', test: null });
    expect(at10(100, 80).verdict).toBe('better');
    expect(judge({ baseline: 100, current: 125 }, exact('higher'), 0.1).verdict).toBe('better');
  });

  it('keeps a change up to the tolerance within noise (strictly more is needed)', () => {
    expect(at10(100, 110).verdict).toBe('within-noise');
    expect(at10(100, 90).verdict).toBe('within-noise');
    expect(at10(100, 110.5).verdict).toBe('worse');
  });

  it('treats any change from 0 as past the tolerance', () => {
    expect(relativeChange(0, 2)).toBe(Infinity);
    expect(relativeChange(0, 0)).toBe(0);
    expect(at10(0, 2)).toMatchObject({ verdict: 'worse', relative: Infinity });
    expect(at10(0, 0).verdict).toBe('within-noise');
  });

  it('with a 0 % tolerance any change counts', () => {
    expect(judge({ baseline: 100, current: 100.01 }, exact('lower'), 0).verdict).toBe('worse');
  });

  it('never judges a figure without a direction', () => {
    expect(judge({ baseline: 100, current: 300 }, exact('none'), 0.1)).toMatchObject({ verdict: 'not-judged', difference: 200 });
  });

  it('lists a figure one side lacks', () => {
    expect(at10(5, null)).toMatchObject({ verdict: 'baseline-only', difference: null, relative: null });
    expect(at10(null, 5).verdict).toBe('current-only');
  });
});

describe("verdict with repeats: Welch's t-test and the tolerance", () => {
  it('calls a significant change past the tolerance', () => {
    const judged = at10(1830, 2310, { baselineRepeats: [1800, 1850, 1820, 1843, 1830], currentRepeats: [2300, 2350, 2280, 2310, 2330] });
    expect(judged.verdict).toBe('worse');
    expect(judged.basis).toBe('welch');
    expect(judged.test?.p).toBeLessThan(1e-6);
  });

  it('keeps a large change of overlapping repeats within noise', () => {
    // scipy: ttest_ind(current, baseline, equal_var=False) → p = 0.462
    const judged = at10(1.1, 1.3, { baselineRepeats: [1.0, 1.6, 0.9, 1.4, 1.1], currentRepeats: [1.3, 0.95, 1.7, 1.25, 1.5] });
    expect(judged.verdict).toBe('within-noise');
    expect(judged.test?.p).toBeCloseTo(0.4620925024425783, 10);
  });

  it('keeps a significant but tiny change within noise', () => {
    const judged = at10(2402, 2422, { baselineRepeats: [2400, 2401, 2402, 2403, 2404], currentRepeats: [2420, 2421, 2422, 2423, 2424] });
    expect(judged.test?.p).toBeLessThan(ALPHA);
    expect(judged.verdict).toBe('within-noise');
  });

  it('keeps it within noise when the medians and the means moved opposite ways', () => {
    // Medians 10 → 12 (up 20 %); means 24 → 12 (down; scipy p = 0.00957).
    const baselineRepeats = [...Array<number>(8).fill(10), ...Array<number>(7).fill(40)];
    const judged = at10(10, 12, { baselineRepeats, currentRepeats: [11, 12, 12, 12, 12, 12, 12, 12, 13] });
    expect(judged.test?.p).toBeCloseTo(0.009570375679852985, 10);
    expect(judged.test?.meanDifference).toBe(-12);
    expect(judged.verdict).toBe('within-noise');
  });

  it('falls back to the tolerance when a side has fewer than 2 repeats', () => {
    expect(at10(100, 125, { baselineRepeats: [100], currentRepeats: [120, 130] })).toMatchObject({ verdict: 'worse', basis: 'tolerance', test: null });
  });
});

describe('noise classes', () => {
  const latency = { direction: 'lower' as const, noise: 'timing' as const, floor: 1 };
  const tail = { direction: 'lower' as const, noise: 'volatile' as const, floor: 1 };

  it('keeps a latency change of at most the floor within noise between single runs, whatever its percentage', () => {
    expect(judge({ baseline: 3, current: 3.9 }, latency, 0.1).verdict).toBe('within-noise');
    expect(judge({ baseline: 3, current: 4.5 }, latency, 0.1).verdict).toBe('worse');
  });

  it('lets repeats judge below the floor', () => {
    const sides = { baseline: 3, current: 3.9, baselineRepeats: [2.9, 3, 3.1], currentRepeats: [3.8, 3.9, 4] };
    expect(judge(sides, latency, 0.1, true).verdict).toBe('worse');
  });

  it('does not judge a volatile figure from single runs, however large the change', () => {
    expect(judge({ baseline: 10, current: 30 }, tail, 0.1).verdict).toBe('needs-repeats');
    expect(judge({ baseline: 10, current: 30, baselineRepeats: [9, 10, 11], currentRepeats: [29, 30, 31] }, tail, 0.1).verdict).toBe('worse');
  });

  it('follows the corrected significance it is given', () => {
    const sides = { baseline: 10, current: 30, baselineRepeats: [9, 10, 11], currentRepeats: [29, 30, 31] };
    expect(judge(sides, tail, 0.1, false).verdict).toBe('within-noise');
    expect(judge(sides, tail, 0.1, true).verdict).toBe('worse');
  });
});
