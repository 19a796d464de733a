/**
 * The verdict on one figure of one transport: better, worse or within noise.
 *
 * A change counts only when it is larger than the tolerance (relative to the baseline). When
 * both sides carry repeats, it must also be statistically significant (Welch's t-test,
 * two-sided, α = 0.05): a tolerance alone cannot tell a real shift from a noisy run, and a
 * test alone would flag shifts of 0.1 % that nobody should act on.
 */
import type { CompareFigure } from './figures.js';
import { welchTTest, type WelchResult } from './stats.js';

/** Significance level of the two-sided Welch test. */
export const ALPHA = 0.05;

/** `workload-change`: a change past the tolerance between runs of different workloads: real, but not the code's doing. */
export type Verdict = 'better' | 'worse' | 'within-noise' | 'needs-repeats' | 'not-judged' | 'baseline-only' | 'current-only' | 'workload-change';

/** How the verdict was reached: tolerance alone, or Welch's t-test and tolerance. */
type Basis = 'tolerance' | 'welch';

export interface Judgement {
  verdict: Verdict;
  /** current − baseline in the figure's unit; null when a side is missing. */
  difference: number | null;
  /**
   * difference / |baseline|, a fraction (0.1 = +10 %); ±Infinity when the baseline is 0 and
   * the current is not; null when a side is missing.
   */
  relative: number | null;
  basis: Basis;
  /** The Welch test, when both sides had at least 2 repeats. */
  test: WelchResult | null;
}

export interface FigureSides {
  /** The figure as reported (a median with repeats); null when missing. */
  baseline: number | null;
  current: number | null;
  /** Each repeat's value, when the result has repeats; fewer than 2 means "no test". */
  baselineRepeats?: readonly number[];
  currentRepeats?: readonly number[];
}

/** The relative change; a change from 0 is infinitely large, no change from 0 is none. */
export function relativeChange(baseline: number, current: number): number {
  if (baseline === 0) return current === 0 ? 0 : Math.sign(current) * Infinity;
  return (current - baseline) / Math.abs(baseline);
}

/** The test of a figure, when both sides have repeats of it (compareResults corrects the tests for their number). */
export function testOf(sides: FigureSides): WelchResult | null {
  const { baselineRepeats: baseline = [], currentRepeats: current = [] } = sides;
  return baseline.length >= 2 && current.length >= 2 ? welchTTest(baseline, current) : null;
}

function directionOf(difference: number, direction: CompareFigure['direction']): Verdict {
  if (direction === 'none') return 'not-judged';
  const improved = direction === 'lower' ? difference < 0 : difference > 0;
  return improved ? 'better' : 'worse';
}

/**
 * Judges one figure; `tolerance` is a fraction (0.1 = 10 %). `significant` says whether its
 * test (if any) passed after the correction for the number of tests in the comparison.
 */
export function judge(sides: FigureSides, figure: Pick<CompareFigure, 'direction' | 'noise' | 'floor'>, tolerance: number, significant?: boolean): Judgement {
  const { direction } = figure;
  const { baseline, current } = sides;
  const test = testOf(sides);
  const basis: Basis = test ? 'welch' : 'tolerance';
  if (baseline === null || current === null) {
    return { verdict: baseline === null ? 'current-only' : 'baseline-only', difference: null, relative: null, basis, test };
  }
  const difference = current - baseline;
  const relative = relativeChange(baseline, current);
  const base = { difference, relative, basis, test };
  if (direction === 'none') return { verdict: 'not-judged', ...base };
  if (!(Math.abs(relative) > tolerance)) return { verdict: 'within-noise', ...base };
  if (test === null) {
    // Single runs carry no measure of their own noise: below the figure's floor a change is
    // noise, and a volatile figure differs by more than any tolerance; only repeats can judge it.
    if (Math.abs(difference) <= figure.floor) return { verdict: 'within-noise', ...base };
    return { verdict: figure.noise === 'volatile' ? 'needs-repeats' : directionOf(difference, direction), ...base };
  }
  // The test compares means while the figures shown are medians: a change whose mean moved the other way is no clear change.
  const clear = (significant ?? test.p < ALPHA) && Math.sign(test.meanDifference) === Math.sign(difference);
  return { verdict: clear ? directionOf(difference, direction) : 'within-noise', ...base };
}
