import { LatencyHistogram } from '../metrics/histogram.js';
import type { Result, Series, TransportResult } from './model.js';

/**
 * The data of report.html's charts over time and of its distribution charts, computed here
 * (pure, tested) so that the page's script only draws it.
 */

/** A step of the phase in seconds from the series' origin, for shading. */
interface PhaseBand {
  name: string;
  from: number;
  to: number;
}

/** One transport's phase second by second, ready to draw; x values are the middle of each second, s. */
export interface TimeCharts {
  transport: string;
  colour: string;
  /** Where the series came from when not from the transport's own entry (with --repeat: "repeat 3"). */
  source: string | null;
  x: number[];
  phases: PhaseBand[];
  latencyP50Ms: Array<number | null>;
  latencyP99Ms: Array<number | null>;
  deliveries: number[];
  connected: Array<number | null>;
  serverCpuPct: Array<number | null>;
  serverRssMiB: Array<number | null>;
  /** Event-loop utilisation over each second, % (the server's, and the busiest client process's). */
  serverEluPct: Array<number | null>;
  clientEluPct: Array<number | null>;
  failures: Array<{ kind: string; perSecond: number[]; total: number }>;
}

/** One transport's latency distribution: a histogram over log-spaced bins and a CDF. */
export interface Distribution {
  transport: string;
  colour: string;
  /** "histogram": from the stored HDR histogram; "percentiles": an older result, only its 6 stored points. */
  source: 'histogram' | 'percentiles';
  /** Share of deliveries per bin, %; `fromMs`–`toMs` on a log scale, empty bins left out. */
  bins: Array<{ fromMs: number; toMs: number; percent: number }>;
  /** y % of deliveries took at most x ms. */
  cdf: Array<{ x: number; y: number }>;
}

/** Histogram bins per decade of latency: fine enough to show modes, coarse enough to read. */
const BINS_PER_DECADE = 10;
/** CDF points per decade: the stored buckets are merged to this step (0.5 %) to keep the page small. */
const CDF_STEPS_PER_DECADE = 200;

const MIB = 1024 * 1024;

/** The series of a transport: its own, or with --repeat the last repeat's (the folded entry has none). */
function seriesOf(result: Result, transport: TransportResult): { series: Series; source: string | null } | undefined {
  if (transport.series) return { series: transport.series, source: null };
  const repeats = result.repeats ?? [];
  for (let index = repeats.length - 1; index >= 0; index--) {
    const own = repeats[index]?.transports.find((t) => t.transport === transport.transport)?.series;
    if (own) return { series: own, source: `repeat ${index + 1} of ${repeats.length}` };
  }
  return undefined;
}

function percent(ratio: number | null): number | null {
  return ratio === null ? null : Math.round(ratio * 1_000) / 10;
}

export function timeCharts(result: Result, colours: readonly string[]): Array<TimeCharts | null> {
  return result.transports.map((transport, index) => {
    const found = seriesOf(result, transport);
    if (!found) return null;
    const { series, source } = found;
    const step = series.intervalMs / 1_000;
    return {
      transport: transport.transport,
      colour: colours[index] ?? '#000000',
      source,
      x: series.deliveries.map((_, i) => (i + 0.5) * step),
      phases: series.phases.map((phase) => ({ name: phase.name, from: phase.startMs / 1_000, to: phase.endMs / 1_000 })),
      latencyP50Ms: series.latencyP50Ms,
      latencyP99Ms: series.latencyP99Ms,
      deliveries: series.deliveries,
      connected: series.connected,
      serverCpuPct: series.serverCpuPct,
      serverRssMiB: series.serverRssBytes.map((b) => (b === null ? null : Math.round((b / MIB) * 10) / 10)),
      serverEluPct: series.serverElu.map(percent),
      clientEluPct: series.clientEluMax.map(percent),
      failures: Object.entries(series.failures).map(([kind, perSecond]) => ({ kind, perSecond, total: perSecond.reduce((a, b) => a + b, 0) })),
    };
  });
}

/** The bin of a value: its decade's tenth, counted from 1 µs. */
function binOf(ms: number, perDecade: number): number {
  return Math.floor(Math.log10(Math.max(ms, 1e-3)) * perDecade + 1e-9);
}

/** From the stored histogram: every bucket counted, so the shape between percentiles is measured, not drawn. */
function histogramDistribution(transport: string, colour: string, encoded: string): Distribution {
  const buckets = LatencyHistogram.decode(encoded).buckets();
  const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  const bins = new Map<number, number>();
  const cdf: Distribution['cdf'] = [];
  let below = 0;
  for (const bucket of buckets) {
    bins.set(binOf(bucket.upToMs, BINS_PER_DECADE), (bins.get(binOf(bucket.upToMs, BINS_PER_DECADE)) ?? 0) + bucket.count);
    below += bucket.count;
    const point = { x: bucket.upToMs, y: (below / total) * 100 };
    const last = cdf.at(-1);
    // Buckets closer than one CDF step merge into the upper one: the curve keeps every step that a reader could see.
    if (last && binOf(last.x, CDF_STEPS_PER_DECADE) === binOf(point.x, CDF_STEPS_PER_DECADE)) cdf[cdf.length - 1] = point;
    else cdf.push(point);
  }
  return {
    transport,
    colour,
    source: 'histogram',
    bins: [...bins].map(([bin, count]) => ({
      fromMs: 10 ** (bin / BINS_PER_DECADE),
      toMs: 10 ** ((bin + 1) / BINS_PER_DECADE),
      percent: (count / total) * 100,
    })),
    cdf: cdf.map((point) => ({ x: Number(point.x.toPrecision(4)), y: Math.round(point.y * 1_000) / 1_000 })),
  };
}

export function distributions(result: Result, colours: readonly string[]): Distribution[] {
  return result.transports.map((transport, index) => {
    const colour = colours[index] ?? '#000000';
    if (transport.latencyHistogram !== undefined && transport.latencyMs.count > 0)
      return histogramDistribution(transport.transport, colour, transport.latencyHistogram);
    return { transport: transport.transport, colour, source: 'percentiles', bins: [], cdf: [] };
  });
}
