import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta } from '../../src/compare/special-functions.js';
import { mean, sampleVariance, studentTTwoSidedP, welchTTest } from '../../src/compare/stats.js';

/** Expected values from scipy 1.17 (`special.gammaln`, `special.betainc`, `2 * stats.t.sf`, `stats.ttest_ind(current, baseline, equal_var=False)`). */

describe('special functions against scipy', () => {
  it.each([
    [0.1, 2.252712651734206],
    [0.5, 0.5723649429247],
    [1, 0],
    [3.7, 1.428072326665388],
    [10, 12.801827480081469],
    [100.5, 361.43554046777757],
  ])('ln Γ(%d)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });

  it.each([
    [0.3, 2, 3, 0.34829999999999994],
    [0.9, 0.5, 0.5, 0.7951672353008665],
    [0.999, 50, 0.5, 0.7523690199653766],
    [0.5, 200, 200, 0.5],
  ])('I_%d(%d, %d)', (x, a, b, expected) => {
    expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(expected, 10);
  });

  it('keeps tiny tails relative, not absolute', () => {
    expect(regularizedIncompleteBeta(0.01, 10, 0.5) / 1.770034965528571e-21).toBeCloseTo(1, 10);
  });

  it('is 0 and 1 at the ends', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('Student t, two-sided p', () => {
  it.each([
    [2.0, 5, 0.10193947882985835],
    [0.5, 1, 0.7048327646991335],
    [3.3, 2.5, 0.05940212877944413],
    [1.96, 1000, 0.050273184955748736],
    [10, 3, 0.0021283990584141503],
    [-0.1, 30.7, 0.9209945098441857],
  ])('t = %d, df = %d', (t, df, expected) => {
    expect(studentTTwoSidedP(t, df)).toBeCloseTo(expected, 10);
  });

  it('is 1 at t = 0 and 0 at infinity', () => {
    expect(studentTTwoSidedP(0, 4)).toBeCloseTo(1, 12);
    expect(studentTTwoSidedP(Infinity, 4)).toBe(0);
  });
});

describe('Welch\'s t-test against scipy ttest_ind(equal_var=False)', () => {
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

  it('uses the n − 1 sample variance', () => {
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12);
  });
});
