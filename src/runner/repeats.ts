/**
 * `--repeat N`: the figures of N runs of the same scenario folded into one result. Each
 * numeric figure becomes its median with its spread; every repeat's own results stay in
 * `repeats`, so nothing measured is thrown away.
 */
import { spreadOf } from '../metrics/spread.js';
import type { Result, Spread, TransportResult, Warning } from '../report/model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Dotted path → value of every numeric leaf (arrays, e.g. warnings, are not figures). */
function numericLeaves(value: Json, prefix = '', into = new Map<string, number>()): Map<string, number> {
  if (typeof value === 'number') into.set(prefix, value);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) numericLeaves(child, prefix ? `${prefix}.${key}` : key, into);
  }
  return into;
}

function setPath(target: Record<string, Json>, path: string, value: number): void {
  const keys = path.split('.');
  let node: Record<string, Json> = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, Json>;
  node[keys[keys.length - 1] as string] = value;
}

/** One transport's results over the repeats → medians, spread and every repeat's warnings. */
export function foldTransport(runs: readonly TransportResult[]): TransportResult {
  const first = runs[0];
  if (!first) throw new RangeError('foldTransport needs at least one run');
  const folded = structuredClone(first) as unknown as Record<string, Json>;
  const leaves = runs.map((run) => numericLeaves(run as unknown as Json));
  const spread: Record<string, Spread> = {};
  for (const path of leaves[0]?.keys() ?? []) {
    const values = leaves.map((l) => l.get(path)).filter((v): v is number => v !== undefined);
    const summary = spreadOf(values);
    setPath(folded, path, summary.median);
    spread[path] = { n: summary.n, min: summary.min, max: summary.max, ciLow: summary.ciLow, ciHigh: summary.ciHigh };
  }
  const result = folded as unknown as TransportResult;
  result.warnings = warningsOfRepeats(runs);
  if (runs.length >= 2) result.spread = spread;
  return result;
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
  return [...byMessage.values()].map(({ warning, repeats }) => ({ ...warning, message: `${repeats.length === runs.length ? 'every repeat' : `repeat ${repeats.join(', ')}`}: ${warning.message}` }));
}

/** The transports of all repeats so far, folded per transport in first-run order. */
export function foldRepeats(repeats: NonNullable<Result['repeats']>): TransportResult[] {
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
