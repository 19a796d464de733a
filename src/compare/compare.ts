/**
 * Compares two results figure by figure (pure): the model every rendering of a comparison
 * (terminal table, markdown) is built from.
 */
import type { Result, TransportResult } from '../report/model.js';
import { COMPARE_FIGURES, type CompareFigure } from './figures.js';
import { latencyDistributions, type LatencyDistribution } from './distribution.js';
import { setupChanges, workloadDifferences } from './setup.js';
import { ALPHA, judge, testOf, type FigureSides, type Judgement } from './verdict.js';

/** One figure of one transport, on both sides. */
export interface ComparedFigure {
  transport: string;
  figure: CompareFigure;
  /** The figure as reported, in its base unit; null when missing on that side. */
  baseline: number | null;
  current: number | null;
  /** The Welch test's p-value adjusted for testing every figure (Holm); null when not tested. */
  adjustedP: number | null;
  judgement: Judgement;
}

/** One side of a comparison: where it came from and what it is. */
export interface ComparedSide {
  /** How the user named it, e.g. the file path. */
  name: string;
  /** A short heading for its column (e.g. the server it ran on, side by side); default "baseline" / "current". */
  label?: string;
  result: Result;
}

export interface Comparison {
  baseline: ComparedSide;
  current: ComparedSide;
  /** Tolerance, a fraction (0.1 = 10 %). */
  tolerance: number;
  /** Every figure of every transport both sides ran, in the current result's transport order and the report's figure order. */
  figures: ComparedFigure[];
  /** Transports only one side ran: listed, not an error. */
  onlyInBaseline: string[];
  onlyInCurrent: string[];
  /** Differences in scenario, environment or repeats that bear on reading the figures. */
  notes: string[];
  /** The two runs had different workloads: a change is then labelled `workload-change`, never better or worse. */
  workloadChanged: boolean;
  /** Latency quantiles of every delivery on both sides, per transport with histograms on both: where latency moved. */
  distributions: LatencyDistribution[];
}

export interface CompareOptions {
  /** A fraction (0.1 = 10 %). */
  tolerance: number;
}

/** Each repeat's value of a figure for one transport; repeats that lack the transport or the value are skipped. */
function repeatValues(result: Result, transport: string, figure: CompareFigure): number[] {
  return (result.repeats ?? []).flatMap((repeat) => {
    const found = repeat.transports.find((t) => t.transport === transport);
    const value = found ? figure.value(found) : undefined;
    return value === null || value === undefined ? [] : [value];
  });
}

interface Candidate {
  transport: string;
  figure: CompareFigure;
  sides: FigureSides;
}

function candidate(baseline: ComparedSide, current: ComparedSide, pair: [TransportResult, TransportResult], figure: CompareFigure): Candidate | null {
  const [before, after] = pair;
  const baselineValue = figure.value(before) ?? null;
  const currentValue = figure.value(after) ?? null;
  if (baselineValue === null && currentValue === null) return null;
  const name = after.transport;
  const sides: FigureSides = {
    baseline: baselineValue,
    current: currentValue,
    baselineRepeats: repeatValues(baseline.result, name, figure),
    currentRepeats: repeatValues(current.result, name, figure),
  };
  return { transport: name, figure, sides };
}

/**
 * Holm's step-down correction: a comparison tests dozens of figures, and at α = 0.05 each,
 * two runs of one commit would show a "significant" change somewhere most of the time
 * (docs/ci.md). Holm keeps the chance of any false alarm at α and is never weaker than
 * Bonferroni. Returns, per candidate, its Holm-adjusted p-value (null: no test): the k-th
 * smallest of m p-values becomes max over j ≤ k of min(1, (m − j + 1) · p(j)), and a figure's
 * change is significant exactly when its adjusted p is below α, the step-down rule itself.
 */
function holmAdjusted(candidates: readonly Candidate[]): Array<number | null> {
  const tests = candidates.map((c) => testOf(c.sides));
  const tested = tests.flatMap((test, index) => (test ? [{ index, p: test.p }] : [])).sort((a, b) => a.p - b.p);
  const adjusted: Array<number | null> = tests.map(() => null);
  let running = 0;
  for (const [rank, { index, p }] of tested.entries()) {
    running = Math.max(running, Math.min(1, (tested.length - rank) * p));
    adjusted[index] = running;
  }
  return adjusted;
}

function transportNames(result: Result): string[] {
  return result.transports.map((t) => t.transport);
}

export function compareResults(baseline: ComparedSide, current: ComparedSide, options: CompareOptions): Comparison {
  const baselineNames = transportNames(baseline.result);
  const currentNames = transportNames(current.result);
  const candidates = current.result.transports.flatMap((after) => {
    const before = baseline.result.transports.find((t) => t.transport === after.transport);
    if (!before) return [];
    return COMPARE_FIGURES.map((figure) => candidate(baseline, current, [before, after], figure)).filter((row) => row !== null);
  });
  const adjusted = holmAdjusted(candidates);
  const workloadChanged = workloadDifferences(baseline.result, current.result).length > 0;
  const figures: ComparedFigure[] = candidates.map(({ transport, figure, sides }, index) => {
    const adjustedP = adjusted[index] ?? null;
    const judgement = judge(sides, figure, options.tolerance, adjustedP === null ? undefined : adjustedP < ALPHA);
    const moved = judgement.verdict === 'better' || judgement.verdict === 'worse';
    return {
      transport,
      figure,
      baseline: sides.baseline,
      current: sides.current,
      adjustedP,
      judgement: workloadChanged && moved ? { ...judgement, verdict: 'workload-change' } : judgement,
    };
  });
  return {
    baseline,
    current,
    tolerance: options.tolerance,
    figures,
    onlyInBaseline: baselineNames.filter((name) => !currentNames.includes(name)),
    onlyInCurrent: currentNames.filter((name) => !baselineNames.includes(name)),
    notes: setupChanges(baseline.result, current.result),
    workloadChanged,
    distributions: latencyDistributions(baseline.result, current.result),
  };
}

/** The figures with a given verdict. */
export function withVerdict(comparison: Comparison, ...verdicts: Judgement['verdict'][]): ComparedFigure[] {
  return comparison.figures.filter((row) => verdicts.includes(row.judgement.verdict));
}

/**
 * What fails CI: a regression past the tolerance (and significant, where tested), or a
 * transport the baseline measured and the current result lacks (a crashed or cut run must not
 * pass as "no regressions").
 */
export function hasRegression(comparison: Comparison): boolean {
  return withVerdict(comparison, 'worse').length > 0 || comparison.onlyInBaseline.length > 0;
}
