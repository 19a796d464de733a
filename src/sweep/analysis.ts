/**
 * What a sweep says: per figure, each transport's series over the swept parameter (the first
 * --vary; with two, one set of series per value of the second), the crossings between every
 * two transports, and, given a budget and a cost to minimise, the cheapest choice at each
 * point. Uncertainty is the repeats' whole range (min..max): wider than a confidence interval,
 * so a crossing or a winner it finds is one the repeats agree on. Pure.
 */
import { figureById, type MeasuredFigure, type QuotientFigure } from '../figures/catalog.js';
import { figureValue } from '../figures/read.js';
import type { Result, TransportResult } from '../report/model.js';
import type { Threshold } from '../scenario/thresholds.js';
import type { Budget } from '../scenario/budget.js';
import { axisOf, type Axis } from './axis.js';
import { crossings, type Crossing, type Estimate, type SeriesPoint } from './crossover.js';
import type { Sweep } from './model.js';
import { recommend, type Recommendation } from './recommend.js';

/** The figures a sweep charts and looks for crossings in: what "push or pull?" turns on. */
const SWEEP_FIGURES = ['latency.p50', 'latency.p99', 'bytes.perDelivery', 'requests.perDelivery', 'server.cpuMsPerDelivery', 'server.rssPerClient'] as const;

interface TransportSeries {
  transport: string;
  points: SeriesPoint[];
}

export interface FigureAnalysis {
  figure: MeasuredFigure | QuotientFigure;
  series: TransportSeries[];
  /** Every crossing of every two transports (`a` before `b` in run order). */
  crossings: Array<Crossing & { a: string; b: string }>;
  /**
   * A figure that moves between two runs of one commit (latency, CPU, memory) measured once
   * per point: no crossing is looked for, as noise alone would make one.
   */
  needsRepeats: boolean;
}

/** One line of the sweep: every point at one value of the second parameter (or the whole sweep with one). */
interface SweepLine {
  /** "clients.count=100" for a grid's line; '' for a sweep of one parameter. */
  label: string;
  figures: FigureAnalysis[];
  /** Per point of the line, the recommendation, when a budget was given. */
  recommendations?: Array<{ x: string; recommendation: Recommendation }>;
}

export interface SweepAnalysis {
  axis: Axis;
  lines: SweepLine[];
}

/** A figure of one transport of a point: its median with the repeats' range, or the single value. */
function estimateOf(result: Result, transport: string, figure: MeasuredFigure | QuotientFigure): Estimate | null {
  const found = result.transports.find((t) => t.transport === transport);
  const value = found ? figureValue(figure, found) : null;
  if (value === null || value === undefined) return null;
  const repeats = repeatValues(result, transport, (t) => figureValue(figure, t));
  if (repeats.length === 0) return { value, low: value, high: value };
  return { value, low: Math.min(value, ...repeats), high: Math.max(value, ...repeats) };
}

function repeatValues(result: Result, transport: string, read: (t: TransportResult) => number | null | undefined): number[] {
  return (result.repeats ?? []).flatMap((repeat) => {
    const found = repeat.transports.find((t) => t.transport === transport);
    const value = found ? read(found) : null;
    return typeof value === 'number' ? [value] : [];
  });
}

function meets(value: number, limit: Threshold): boolean {
  switch (limit.op) {
    case '<':
      return value < limit.limit;
    case '<=':
      return value <= limit.limit;
    case '>':
      return value > limit.limit;
    case '>=':
      return value >= limit.limit;
  }
}

/** In budget when the figure meets the limit in every repeat (or the single run). */
export function withinBudget(result: Result, transport: string, limit: Threshold): boolean {
  const read = (t: TransportResult) => figureValue(limit.definition, t);
  const found = result.transports.find((t) => t.transport === transport);
  const values = result.repeats ? repeatValues(result, transport, read) : [found ? read(found) : null];
  return values.length > 0 && values.every((v) => typeof v === 'number' && meets(v, limit));
}

export function analyseSweep(sweep: Sweep, budget?: Budget): SweepAnalysis {
  const [first, second] = sweep.vary;
  const axis = axisOf(first?.path ?? '', first?.values ?? []);
  const transports = [...new Set(sweep.points.flatMap((p) => p.result.transports.map((t) => t.transport)))];
  const lineValues = second ? second.values : [''];
  const lines = lineValues.map((lineValue) => {
    const onLine = sweep.points.filter((p) => second === undefined || p.values[1] === lineValue);
    const at = (label: string) => onLine.find((p) => p.values[0] === label);
    const xOf = (index: number) => axis.numbers?.[index] ?? index;
    const figures = SWEEP_FIGURES.map((id) => {
      const figure = figureById(id) as MeasuredFigure | QuotientFigure;
      const series = transports.map((transport) => ({
        transport,
        points: axis.labels.map((label, index) => {
          const point = at(label);
          return { x: xOf(index), y: point ? estimateOf(point.result, transport, figure) : null };
        }),
      }));
      const needsRepeats = sweep.repeat < 2 && figure.noise !== 'exact';
      const found =
        axis.numbers === null || needsRepeats
          ? []
          : pairs(series).flatMap(([a, b]) => crossings(a.points, b.points, axis.scale).map((c) => ({ ...c, a: a.transport, b: b.transport })));
      return { figure, series, crossings: found, needsRepeats };
    });
    const recommendations = budget
      ? axis.labels.flatMap((label) => {
          const point = at(label);
          if (!point) return [];
          const candidates = transports.map((transport) => ({
            name: transport,
            cost: estimateOf(point.result, transport, budget.minimise),
            withinBudget: withinBudget(point.result, transport, budget.limit),
          }));
          const unsure = sweep.repeat < 2 && budget.minimise.noise !== 'exact';
          return [{ x: label, recommendation: unsure ? repeatsNeeded(budget.minimise.label) : recommend(candidates) }];
        })
      : undefined;
    return { label: second ? `${second.path}=${lineValue}` : '', figures, ...(recommendations ? { recommendations } : {}) };
  });
  return { axis, lines };
}

function repeatsNeeded(label: string): Recommendation {
  return { kind: 'none', reason: `${label} moves between runs of the same code; sweep with --repeat 3 or more to choose by it` };
}

function pairs<T>(items: readonly T[]): Array<[T, T]> {
  return items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as [T, T]));
}
