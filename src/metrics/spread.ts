/** Median and spread of one figure over repeated runs (pure). */
import { lowerMedian, mean, sampleVariance, studentTCritical } from './statistics.js';

/** Two-sided 5 %: the confidence interval covers 95 %. */
const CONFIDENCE_ALPHA = 0.05;

export interface SpreadSummary {
  n: number;
  /** The lower middle value (`lowerMedian`): always a value that was measured. */
  median: number;
  min: number;
  max: number;
  /** 95 % confidence interval of the mean (Student t); null below 3 values (too wide to mean anything). */
  ciLow: number | null;
  ciHigh: number | null;
}

export function spreadOf(values: readonly number[]): SpreadSummary {
  const n = values.length;
  if (n === 0) throw new RangeError('spreadOf needs at least one value');
  const summary: SpreadSummary = { n, median: lowerMedian(values), min: Math.min(...values), max: Math.max(...values), ciLow: null, ciHigh: null };
  if (n < 3) return summary;
  const centre = mean(values);
  const half = studentTCritical(CONFIDENCE_ALPHA, n - 1) * Math.sqrt(sampleVariance(values) / n);
  return { ...summary, ciLow: centre - half, ciHigh: centre + half };
}
