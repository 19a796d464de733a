/**
 * The descriptive statistics and Student's t distribution the project uses (pure): `--repeat`'s
 * spread and `compare`'s Welch test both read them from here, so a mean or a t quantile means
 * the same thing in result.json and in a comparison.
 */
import { regularizedIncompleteBeta } from './special-functions.js';

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample variance (n − 1 in the denominator); needs n ≥ 2. */
export function sampleVariance(values: readonly number[]): number {
  const centre = mean(values);
  return values.reduce((sum, value) => sum + (value - centre) ** 2, 0) / (values.length - 1);
}

/**
 * The lower middle value (for an even count, the lower of the two middle ones), so the median
 * is always a value that was actually measured and a count stays a whole number.
 */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (df may be fractional). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Bisection stops when the bracket is this narrow: far below the 3 digits any report shows. */
const QUANTILE_PRECISION = 1e-12;

/**
 * The t with P(|T| ≥ t) = `alpha` (two-sided critical value), found by bisection on
 * `studentTTwoSidedP`, which falls steadily as t grows: e.g. 4.303 for α = 0.05 and df = 2.
 */
export function studentTCritical(alpha: number, df: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1, got ${alpha}`);
  let low = 0;
  let high = 1;
  while (studentTTwoSidedP(high, df) > alpha) high *= 2;
  while (high - low > QUANTILE_PRECISION * high) {
    const middle = (low + high) / 2;
    if (studentTTwoSidedP(middle, df) > alpha) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
