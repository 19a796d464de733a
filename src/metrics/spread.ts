/**
 * Median and spread of one figure over repeated runs (pure). The median is the lower middle
 * value for an even count, so it is always a value that was actually measured (and a count
 * stays a whole number).
 */

/** Two-sided 95 % Student-t critical values for 1..30 degrees of freedom; beyond, the normal 1.96 is close enough. */
const T_95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface SpreadSummary {
  n: number;
  median: number;
  min: number;
  max: number;
  /** 95 % confidence interval of the mean; null below 3 values (too wide to mean anything). */
  ciLow: number | null;
  ciHigh: number | null;
}

export function spreadOf(values: readonly number[]): SpreadSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) throw new RangeError('spreadOf needs at least one value');
  const median = sorted[Math.floor((n - 1) / 2)] as number;
  const summary: SpreadSummary = { n, median, min: sorted[0] as number, max: sorted[n - 1] as number, ciLow: null, ciHigh: null };
  if (n < 3) return summary;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const variance = sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = (T_95[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return { ...summary, ciLow: mean - half, ciHigh: mean + half };
}
