/**
 * `--repeat N`: the figures of N runs of the same scenario folded into one result. Each
 * number of the figure catalog becomes its median with its spread; every repeat's own
 * results stay in `repeats`, so nothing measured is thrown away.
 */
import { FIGURE_CATALOG } from '../figures/catalog.js';
import { readPath, storedPaths } from '../figures/read.js';
import { spreadOf } from '../metrics/spread.js';
import { mergeEncoded } from '../metrics/histogram.js';
import type { Result, Spread, TransportResult, Warning } from '../report/model.js';

/** Every number of a transport's result.json that is a figure of the catalog, by dotted path. */
const FIGURE_PATHS: readonly string[] = FIGURE_CATALOG.flatMap(storedPaths);

function setPath(target: object, path: string, value: number): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = (keys.length > 0 ? readPath(target, keys.join('.')) : target) as Record<string, unknown>;
  parent[last] = value;
}

/**
 * One transport's results over the repeats → medians, spread and every repeat's warnings. A
 * figure the first repeat did not measure (null, or absent) stays as that repeat had it.
 */
export function foldTransport(runs: readonly TransportResult[]): TransportResult {
  const first = runs[0];
  if (!first) throw new RangeError('foldTransport needs at least one run');
  const folded = structuredClone(first);
  const spread: Record<string, Spread> = {};
  for (const path of FIGURE_PATHS) {
    if (typeof readPath(first, path) !== 'number') continue;
    const values = runs.map((run) => readPath(run, path)).filter((value): value is number => typeof value === 'number');
    const summary = spreadOf(values);
    setPath(folded, path, summary.median);
    spread[path] = { n: summary.n, min: summary.min, max: summary.max, ciLow: summary.ciLow, ciHigh: summary.ciHigh };
  }
  folded.warnings = warningsOfRepeats(runs);
  // The medians stand for every repeat: so does the histogram (all repeats' deliveries pooled,
  // exact), while a time series belongs to one repeat and stays there, in `repeats`.
  const histograms = runs.map((run) => run.latencyHistogram).filter((h): h is string => h !== undefined);
  if (runs.length >= 2) {
    delete folded.series;
    if (histograms.length === runs.length) folded.latencyHistogram = mergeEncoded(...histograms);
    else delete folded.latencyHistogram;
  }
  if (runs.length >= 2) folded.spread = spread;
  return folded;
}

/** Each distinct warning once, saying in which repeats it came up. */
function warningsOfRepeats(runs: readonly TransportResult[]): Warning[] {
  if (runs.length === 1) return runs[0]?.warnings ?? [];
  const byMessage = new Map<string, { warning: Warning; repeats: number[] }>();
  runs.forEach((run, index) => {
    for (const warning of run.warnings) {
      const entry = byMessage.get(warning.message) ?? { warning, repeats: [] };
      entry.repeats.push(index + 1);
      byMessage.set(warning.message, entry);
    }
  });
  return [...byMessage.values()].map(({ warning, repeats }) => ({
    ...warning,
    message: `${repeats.length === runs.length ? 'every repeat' : `repeat ${repeats.join(', ')}`}: ${warning.message}`,
  }));
}

/** The transports of all repeats so far, folded per transport in first-run order. */
function foldRepeats(repeats: NonNullable<Result['repeats']>): TransportResult[] {
  const names = [...new Set(repeats.flatMap((r) => r.transports.map((t) => t.transport)))];
  return names.map((name) => foldTransport(repeats.flatMap((r) => r.transports.filter((t) => t.transport === name))));
}

export type Repeat = NonNullable<Result['repeats']>[number];

/**
 * The result to write while repeat `current` is under way (or after the last): every finished
 * repeat plus the current one's transports so far, folded; thresholds checked on the medians.
 */
export function combineRepeats(finished: readonly Repeat[], current: Result, evaluate: (transports: TransportResult[]) => Result['thresholds']): Result {
  const repeats = [...finished, { startedAt: current.startedAt, transports: current.transports }];
  const transports = foldRepeats(repeats);
  const first = finished[0];
  return {
    ...current,
    startedAt: first?.startedAt ?? current.startedAt,
    transports,
    thresholds: evaluate(transports),
    repeats,
  };
}
