import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossings, type Estimate, type SeriesPoint } from '../../src/sweep/crossover.js';
import { recommend } from '../../src/sweep/recommend.js';

const exact = (value: number): Estimate => ({ value, low: value, high: value });
const spread = (value: number, half: number): Estimate => ({ value, low: value - half, high: value + half });
const series = (xs: readonly number[], f: (x: number) => Estimate | null): SeriesPoint[] => xs.map((x) => ({ x, y: f(x) }));

const RATES = [0.01, 0.1, 1, 10, 100];

describe('crossings', () => {
  it('finds the exact crossing of two lines (linear axis)', () => {
    const xs = [0, 1, 2, 3, 4];
    const found = crossings(
      series(xs, (x) => exact(2 * x)),
      series(xs, () => exact(5)),
      'linear',
    );
    expect(found).toEqual([{ from: 2, to: 3, at: 2.5, lowerBefore: 'a' }]);
  });

  it('on a log axis, interpolates in log x: polling bytes flat, push bytes growing with the rate', () => {
    // Push costs 100 B per event/s; polling a flat 1,000 B: they cross at 10 events/s exactly.
    const found = crossings(
      series(RATES, () => exact(1000)),
      series(RATES, (x) => exact(100 * x)),
      'log',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: 1, to: 100, lowerBefore: 'b' });
    expect(found[0]!.at).toBeCloseTo(10, 9);
  });

  it('none when one is lower everywhere, or when they only touch within noise', () => {
    expect(
      crossings(
        series(RATES, (x) => exact(x)),
        series(RATES, (x) => exact(2 * x + 1)),
        'log',
      ),
    ).toEqual([]);
    expect(
      crossings(
        series(RATES, () => spread(10, 1)),
        series(RATES, (x) => (x === 1 ? spread(10.5, 1) : spread(20, 1))),
        'log',
      ),
    ).toEqual([]);
  });

  it('several: a cost that dips below and comes back', () => {
    const xs = [1, 2, 3, 4, 5, 6];
    const found = crossings(
      series(xs, (x) => exact(x >= 3 && x <= 4 ? 1 : 10)),
      series(xs, () => exact(5)),
      'linear',
    );
    expect(found.map((c) => [c.from, c.to, c.lowerBefore])).toEqual([
      [2, 3, 'b'],
      [4, 5, 'a'],
    ]);
  });

  it('noisy: points within noise never make a crossing, and the crossing is placed where the medians cross', () => {
    const xs = [1, 2, 3, 4, 5];
    const a = series(xs, (x) => spread(x, 1.5));
    const b = series(xs, () => spread(3.2, 0.2));
    const found = crossings(a, b, 'linear');
    expect(found).toHaveLength(1);
    // a is clearly lower only at 1, clearly higher only at 5; the medians cross between 3 and 4.
    expect(found[0]).toMatchObject({ from: 1, to: 5, lowerBefore: 'a' });
    expect(found[0]!.at).toBeCloseTo(3.2, 9);
  });

  it('skips points either side lacks', () => {
    const xs = [1, 2, 3, 4];
    const found = crossings(
      series(xs, (x) => (x === 3 ? null : exact(x))),
      series(xs, () => exact(2.5)),
      'linear',
    );
    expect(found).toEqual([{ from: 2, to: 4, at: 2.5, lowerBefore: 'a' }]);
  });

  it('any two exact lines that cross between grid points: found once, between the right points', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 8.5, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (cross, slope) => {
        fc.pre(Math.abs(cross - Math.round(cross)) > 1e-6);
        const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        const found = crossings(
          series(xs, (x) => exact(slope * (x - cross))),
          series(xs, () => exact(0)),
          'linear',
        );
        expect(found).toHaveLength(1);
        expect(found[0]!.from).toBe(Math.floor(cross));
        expect(found[0]!.to).toBe(Math.ceil(cross));
        expect(found[0]!.at).toBeCloseTo(cross, 6);
      }),
    );
  });
});

describe('recommend', () => {
  it('the cheapest within budget, with its margin over the next', () => {
    expect(
      recommend([
        { name: 'polling/5s', cost: exact(1000), withinBudget: true },
        { name: 'sse', cost: exact(400), withinBudget: true },
        { name: 'websocket', cost: exact(300), withinBudget: false },
      ]),
    ).toEqual({ kind: 'winner', name: 'sse', margin: 1.5, runnerUp: 'polling/5s' });
  });

  it('refuses to pick within noise: overlapping costs are a tie, cheapest median first', () => {
    expect(
      recommend([
        { name: 'sse', cost: spread(400, 50), withinBudget: true },
        { name: 'websocket', cost: spread(380, 30), withinBudget: true },
        { name: 'polling', cost: spread(1000, 10), withinBudget: true },
      ]),
    ).toEqual({ kind: 'tie', names: ['websocket', 'sse'] });
  });

  it('the only one in budget wins without a margin; none in budget is said', () => {
    expect(recommend([{ name: 'sse', cost: exact(1), withinBudget: true }])).toEqual({ kind: 'winner', name: 'sse', margin: null, runnerUp: null });
    expect(recommend([{ name: 'polling', cost: exact(1), withinBudget: false }])).toEqual({ kind: 'none', reason: 'no transport met the budget' });
    expect(recommend([{ name: 'sse', cost: null, withinBudget: true }])).toMatchObject({ kind: 'none' });
  });
});
