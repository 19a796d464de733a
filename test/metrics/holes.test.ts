import { describe, expect, it } from 'vitest';
import { SeqHoles } from '../../src/metrics/holes.js';

describe('SeqHoles', () => {
  it('takes each missing seq once, splitting and shrinking ranges', () => {
    const holes = new SeqHoles();
    holes.addAbove(2, 6);
    holes.addAbove(10, 10);
    expect(holes.missingCount).toBe(6);
    expect(holes.take(4)).toBe(true); // split 2..3, 5..6
    expect(holes.rangeCount).toBe(3);
    expect(holes.take(4)).toBe(false);
    expect(holes.take(2)).toBe(true);
    expect(holes.take(6)).toBe(true);
    expect(holes.take(10)).toBe(true);
    expect(holes.take(7)).toBe(false);
    expect(holes.missingCount).toBe(2); // 3 and 5
    expect(holes.take(3) && holes.take(5)).toBe(true);
    expect(holes.rangeCount).toBe(0);
  });

  it('stores a huge loss as one range', () => {
    const holes = new SeqHoles();
    holes.addAbove(1, 1_000_000);
    expect(holes.rangeCount).toBe(1);
    expect(holes.missingCount).toBe(1_000_000);
  });
});
