import { describe, expect, it } from 'vitest';
import { spreadOf } from '../../src/metrics/spread.js';

describe('spreadOf', () => {
  it('takes the middle value, the lower one for an even count, so the median was measured', () => {
    expect(spreadOf([3, 1, 2]).median).toBe(2);
    expect(spreadOf([4, 1, 3, 2]).median).toBe(2);
    expect(spreadOf([7]).median).toBe(7);
  });

  it('gives min and max, and a confidence interval from three values on', () => {
    expect(spreadOf([5, 1])).toEqual({ n: 2, median: 1, min: 1, max: 5, ciLow: null, ciHigh: null });
    // mean 2, sd 1, n 3: half-width t(0.975, 2) × 1/√3 = 4.303 × 0.57735 = 2.4843
    const { ciLow, ciHigh } = spreadOf([1, 2, 3]);
    expect(ciLow).toBeCloseTo(2 - 2.4843, 3);
    expect(ciHigh).toBeCloseTo(2 + 2.4843, 3);
  });

  it('has a zero-width interval when every repeat agrees', () => {
    expect(spreadOf([4, 4, 4, 4])).toMatchObject({ ciLow: 4, ciHigh: 4, min: 4, max: 4 });
  });

  it('refuses nothing to summarise', () => expect(() => spreadOf([])).toThrow(RangeError));
});
