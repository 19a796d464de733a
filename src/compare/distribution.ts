/**
 * Where in the distribution latency moved: the quantiles of every delivery on both sides, read
 * from the stored HDR histograms (pooled over the repeats), side by side. A change at p50 alone
 * is the body shifting; one at p99 and above alone is the tail. Shown, not tested: the
 * deliveries of one run share its server, clock and moment, so they are not independent samples
 * and a test over them would call any two runs different; the verdicts rest on the repeats.
 */
import { LatencyHistogram } from '../metrics/histogram.js';
import type { Result, TransportResult } from '../report/model.js';
import { formatCount, formatMs, formatPercent } from '../report/format.js';
import { oneLine } from '../report/header.js';
import { relativeChange } from './verdict.js';

/** The quantiles compared, from the body to the tail. */
const QUANTILES: ReadonlyArray<{ label: string; percentile: number }> = [
  { label: 'p10', percentile: 10 },
  { label: 'p25', percentile: 25 },
  { label: 'p50', percentile: 50 },
  { label: 'p75', percentile: 75 },
  { label: 'p90', percentile: 90 },
  { label: 'p99', percentile: 99 },
  { label: 'p99.9', percentile: 99.9 },
  { label: 'max', percentile: 100 },
];

interface QuantileChange {
  label: string;
  /** 0 … 100. */
  percentile: number;
  /** ms. */
  baseline: number;
  current: number;
  /** current / baseline − 1; ±Infinity from 0. */
  relative: number;
}

export interface LatencyDistribution {
  transport: string;
  /** Deliveries in each side's histogram (every repeat's, pooled). */
  baselineCount: number;
  currentCount: number;
  quantiles: QuantileChange[];
}

function histogramOf(transport: TransportResult | undefined): LatencyHistogram | null {
  if (transport?.latencyHistogram === undefined) return null;
  const histogram = LatencyHistogram.decode(transport.latencyHistogram);
  return histogram.count > 0 ? histogram : null;
}

/** Per transport both sides ran, with a non-empty histogram on each side, in the current result's order. */
export function latencyDistributions(baseline: Result, current: Result): LatencyDistribution[] {
  return current.transports.flatMap((after) => {
    const before = histogramOf(baseline.transports.find((t) => t.transport === after.transport));
    const now = histogramOf(after);
    if (!before || !now) return [];
    const quantiles = QUANTILES.map(({ label, percentile }) => {
      const [b, c] = [before.percentileMs(percentile)!, now.percentileMs(percentile)!];
      return { label, percentile, baseline: b, current: c, relative: relativeChange(b, c) };
    });
    return [{ transport: after.transport, baselineCount: before.count, currentCount: now.count, quantiles }];
  });
}

/** "+7.9 %", "from 0". */
function relativeText(relative: number): string {
  if (!Number.isFinite(relative)) return 'from 0';
  return `${relative > 0 ? '+' : ''}${formatPercent(relative)}`;
}

/**
 * The distributions as one table for the terminal and Markdown alike: a row per quantile (and
 * one for the deliveries counted), a column per transport, each cell "baseline → current ms (change)".
 */
export function distributionTable(distributions: readonly LatencyDistribution[]): { heads: string[]; rows: string[][] } {
  const heads = ['latency (ms)', ...distributions.map((d) => oneLine(d.transport))];
  const rows = QUANTILES.map(({ label }, i) => [
    label,
    ...distributions.map(({ quantiles }) => {
      const q = quantiles[i]!;
      return `${formatMs(q.baseline)} → ${formatMs(q.current)} (${relativeText(q.relative)})`;
    }),
  ]);
  const counted = ['deliveries', ...distributions.map((d) => `${formatCount(d.baselineCount)} → ${formatCount(d.currentCount)}`)];
  return { heads, rows: [...rows, counted] };
}

/** The sentence above the table: what it is read from, and why it carries no verdict. */
export function distributionNote(comparison: { baseline: { result: Result }; current: { result: Result } }): string {
  const pooled = [comparison.baseline.result, comparison.current.result].some((r) => (r.repeats?.length ?? 0) > 1) ? ', every repeat pooled' : '';
  return (
    `Latency by quantile over every delivery, read from the stored histograms${pooled}: whether the body or the tail moved. ` +
    'Shown without a verdict: the deliveries of one run are not independent samples; the verdicts above rest on the repeats.'
  );
}
