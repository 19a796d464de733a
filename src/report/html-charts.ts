import { figureById, type MeasuredFigure } from '../figures/catalog.js';
import { figureValue } from '../figures/read.js';
import { FORMAT_OF_UNIT, formatMs } from './format.js';
import type { Result, SummaryMs, TransportResult } from './model.js';
import { distributions, timeCharts, type Distribution, type TimeCharts } from './html-series.js';

/**
 * The data the charts of report.html draw, computed here (pure, tested) so that the script
 * in the page only hands it to Chart.js. It travels as JSON inside the page.
 */

/** One known point of a latency distribution: `y` % of deliveries took at most `x` ms. */
interface CdfPoint {
  x: number;
  y: number;
  /** Which stored percentile it is, e.g. "p99". */
  label: string;
  /** Tooltip text, e.g. "p99: 99 % within 12.3 ms". */
  text: string;
}

export interface CdfSeries {
  transport: string;
  /** "histogram": every bucket of the stored histogram; "percentiles": an older result's 6 stored points, joined by straight lines. */
  source: 'histogram' | 'percentiles';
  points: CdfPoint[];
  /** Why some or all points are not drawn (no deliveries, a value a log axis cannot show). */
  note: string | null;
}

/** One bar: a transport's value, null when there is none, and its formatted text. */
interface Bar {
  transport: string;
  value: number | null;
  text: string;
}

export interface ChartData {
  transports: string[];
  /** One colour per transport, same order, shared by every chart and the table headers. */
  colours: string[];
  latencyCdf: CdfSeries[];
  /** Per transport, share of deliveries per latency bin (from the stored histogram; empty for older results). */
  latencyHistogram: Distribution[];
  /** Per transport, its phase second by second; null for a result written before series were kept. */
  overTime: Array<TimeCharts | null>;
  bytesPerDelivery: Bar[];
  requestsPerDelivery: Bar[];
}

/**
 * The percentiles result.json keeps, with the share of deliveries at or below each. These
 * are the only points of the distribution we know; the chart joins them with straight lines
 * and says so. min is where the curve starts (0 %), max where it ends (100 %).
 */
export const CDF_PERCENTILES = [
  { key: 'min', label: 'min', percent: 0 },
  { key: 'p50', label: 'p50', percent: 50 },
  { key: 'p90', label: 'p90', percent: 90 },
  { key: 'p99', label: 'p99', percent: 99 },
  { key: 'p999', label: 'p99.9', percent: 99.9 },
  { key: 'max', label: 'max', percent: 100 },
] as const satisfies readonly { key: keyof SummaryMs; label: string; percent: number }[];

/** The known points of one latency summary; values a log axis cannot place (≤ 0) are left out. */
export function latencyCdf(transport: string, summary: SummaryMs): CdfSeries {
  if (summary.count === 0) return { transport, source: 'percentiles', points: [], note: `${transport}: no deliveries, no curve` };
  const points: CdfPoint[] = [];
  const hidden: string[] = [];
  for (const { key, label, percent } of CDF_PERCENTILES) {
    const x = summary[key];
    if (x === null) continue;
    if (x > 0) points.push({ x, y: percent, label, text: `${label}: ${percent} % within ${formatMs(x)} ms` });
    else hidden.push(`${label} ${formatMs(x)} ms`);
  }
  const note = hidden.length > 0 ? `${transport}: ${hidden.join(', ')} not drawn (a log axis has no place for values ≤ 0)` : null;
  return { transport, source: 'percentiles', points, note };
}

/** The CDF through every bucket of the stored histogram (values ≤ 0 cannot sit on the log axis and start the curve instead). */
function histogramCdf(distribution: Distribution): CdfSeries {
  const points = distribution.cdf
    .filter((point) => point.x > 0)
    .map((point) => ({ x: point.x, y: point.y, label: '', text: `${point.y} % within ${formatMs(point.x)} ms` }));
  return { transport: distribution.transport, source: 'histogram', points, note: null };
}

/** One bar per transport of a per-delivery figure of the catalog, formatted as the tables format it. */
function bars(transports: readonly TransportResult[], figure: MeasuredFigure): Bar[] {
  const format = FORMAT_OF_UNIT[figure.unit];
  return transports.map((transport) => {
    const value = figureValue(figure, transport) ?? null;
    return { transport: transport.transport, value, text: value === null ? 'no deliveries' : format(value) };
  });
}

/**
 * Okabe–Ito colours: told apart by readers with the common colour-vision deficiencies
 * (their yellow is left out: unreadable on white).
 */
export const TRANSPORT_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/** The colour of the transport at `index` (cycling after seven). */
export function transportColour(index: number): string {
  return TRANSPORT_COLOURS[index % TRANSPORT_COLOURS.length] ?? '#000000';
}

export function chartData(result: Result): ChartData {
  const { transports } = result;
  const colours = transports.map((_, index) => transportColour(index));
  const histograms = distributions(result, colours);
  return {
    transports: transports.map((transport) => transport.transport),
    colours,
    latencyCdf: transports.map((transport, index) => {
      const histogram = histograms[index];
      return histogram?.source === 'histogram' ? histogramCdf(histogram) : latencyCdf(transport.transport, transport.latencyMs);
    }),
    latencyHistogram: histograms,
    overTime: timeCharts(result, colours),
    bytesPerDelivery: bars(transports, figureById('bytes.perDelivery')),
    requestsPerDelivery: bars(transports, figureById('requests.perDelivery')),
  };
}
