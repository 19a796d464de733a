import { describe, expect, it } from 'vitest';
import { welchTTest } from '../../src/compare/stats.js';
import { mean } from '../../src/metrics/statistics.js';

/** Expected values from scipy 1.17 (`stats.ttest_ind(current, baseline, equal_var=False)`). */

describe("Welch's t-test against scipy ttest_ind(equal_var=False)", () => {
  it.each([
    [[10.1, 10.3, 9.9, 10.2, 10.0], [11.0, 11.4, 10.8, 11.3, 11.1], 7.96486185631892, 6.942694889003614, 9.795137512332141e-5],
    [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12], 2.3763541031440183, 6.972255729794934, 0.04928433820673053],
    [[20.5, 19.8], [21.7, 25.2, 22.9], 2.8728461881338183, 2.426201895884861, 0.08217764478582379],
    [[100, 101, 99, 100.5], [100.2, 99.5, 101.1, 100.4], 0.32461722703208656, 5.635071547501258, 0.7571804862497656],
    [[1, 1, 1, 2], [5, 6, 7, 8, 9, 10, 11], 7.904790590883118, 7.0537428023032644, 9.44668988299459e-5],
  ])('%j vs %j', (baseline, current, t, df, p) => {
    const result = welchTTest(baseline, current);
    expect(result.t).toBeCloseTo(t, 10);
    expect(result.df).toBeCloseTo(df, 10);
    expect(result.p / p).toBeCloseTo(1, 8);
    expect(result.meanDifference).toBeCloseTo(mean(current) - mean(baseline), 12);
  });

  it('is symmetric: swapping the sides flips t and keeps p', () => {
    const forward = welchTTest([1, 2, 3], [4, 5, 7]);
    const backward = welchTTest([4, 5, 7], [1, 2, 3]);
    expect(backward.t).toBeCloseTo(-forward.t, 12);
    expect(backward.p).toBeCloseTo(forward.p, 12);
  });

  it('calls two constant samples that differ a certain change, and equal ones no change', () => {
    expect(welchTTest([500, 500], [520, 520, 520])).toMatchObject({ p: 0, t: Infinity, meanDifference: 20 });
    expect(welchTTest([500, 500], [500, 500]).p).toBe(1);
  });

  it('refuses fewer than 2 values a side', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(RangeError);
  });
});
