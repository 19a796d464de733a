/**
 * Welch's t-test: are two samples' means different, without assuming equal variances?
 * The repeats of a benchmark on a shared machine rarely have equal variances, which is why
 * Welch and not Student's pooled test (scipy: `ttest_ind(a, b, equal_var=False)`).
 */
import { mean, sampleVariance, studentTTwoSidedP } from '../metrics/statistics.js';

/** The outcome of a two-sided Welch's t-test of `current` against `baseline`. */
export interface WelchResult {
  /** t statistic, (mean(current) − mean(baseline)) / standard error; ±Infinity when both samples are constant and differ. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom; NaN when both samples are constant. */
  df: number;
  /** Two-sided p-value, 0..1. */
  p: number;
  /** mean(current) − mean(baseline), in the figure's unit. */
  meanDifference: number;
}

/**
 * Welch's two-sided t-test; each sample needs at least 2 values.
 *
 * When both samples are constant the standard error is 0 and the statistic is undefined
 * (scipy returns nan). A benchmark figure that does not vary at all (a request count set
 * by the scenario) has then plainly changed when the two constants differ, so p is 0 then,
 * and 1 when they are equal.
 */
export function welchTTest(baseline: readonly number[], current: readonly number[]): WelchResult {
  if (baseline.length < 2 || current.length < 2) throw new RangeError("Welch's t-test needs at least 2 values on each side");
  const baselineTerm = sampleVariance(baseline) / baseline.length;
  const currentTerm = sampleVariance(current) / current.length;
  const meanDifference = mean(current) - mean(baseline);
  const squaredError = baselineTerm + currentTerm;
  if (squaredError === 0) {
    return { t: meanDifference === 0 ? Number.NaN : Math.sign(meanDifference) * Infinity, df: Number.NaN, p: meanDifference === 0 ? 1 : 0, meanDifference };
  }
  const t = meanDifference / Math.sqrt(squaredError);
  const df = squaredError ** 2 / (baselineTerm ** 2 / (baseline.length - 1) + currentTerm ** 2 / (current.length - 1));
  return { t, df, p: studentTTwoSidedP(t, df), meanDifference };
}
