import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta } from '../../src/metrics/special-functions.js';
import { lowerMedian, mean, sampleVariance, studentTCritical, studentTTwoSidedP } from '../../src/metrics/statistics.js';

/** Expected values from scipy 1.17 (`special.gammaln`, `special.betainc`, `2 * stats.t.sf`, `stats.t.ppf`). */

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

describe('Student t, two-sided critical value', () => {
  it.each([
    [1, 12.706204736174698],
    [2, 4.302652729749464],
    [10, 2.2281388519862735],
    [30, 2.0422724563012373],
    [100, 1.9839715184496334],
  ])('t(0.975, df = %d)', (df, expected) => {
    expect(studentTCritical(0.05, df)).toBeCloseTo(expected, 9);
  });

  it('is the inverse of the two-sided p', () => {
    expect(studentTTwoSidedP(studentTCritical(0.01, 7.5), 7.5)).toBeCloseTo(0.01, 12);
  });

  it('refuses an alpha outside 0..1', () => {
    expect(() => studentTCritical(0, 3)).toThrow(RangeError);
    expect(() => studentTCritical(1, 3)).toThrow(RangeError);
  });
});

describe('descriptive statistics', () => {
  it('uses the n − 1 sample variance', () => {
    expect(sampleVariance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });

  it('takes the lower middle value as the median, so it was measured', () => {
    expect(lowerMedian([3, 1, 2])).toBe(2);
    expect(lowerMedian([4, 1, 3, 2])).toBe(2);
    expect(() => lowerMedian([])).toThrow(RangeError);
  });
});
