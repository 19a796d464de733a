/** Checks a run's thresholds against its result (pure). */
import type { Result, ThresholdResult, TransportResult } from '../report/model.js';
import type { Comparison, Threshold } from '../scenario/thresholds.js';

const holds: Record<Comparison, (actual: number, limit: number) => boolean> = {
  '<': (a, l) => a < l,
  '<=': (a, l) => a <= l,
  '>': (a, l) => a > l,
  '>=': (a, l) => a >= l,
};

/** The figure a threshold names, in its base unit; null when the transport did not run or the figure is missing. */
export function figureValue(transports: readonly TransportResult[], threshold: Threshold): number | null {
  const transport = transports.find((t) => t.transport === threshold.transport);
  let value: unknown = transport;
  for (const key of threshold.resultPath) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : null;
}

/** Thresholds of transports that ran; a missing figure does not hold (a broken run must not pass). */
export function evaluateThresholds(result: Pick<Result, 'transports'>, thresholds: readonly Threshold[]): ThresholdResult[] {
  const ran = new Set(result.transports.map((t) => t.transport));
  return thresholds
    .filter((threshold) => ran.has(threshold.transport))
    .map((threshold) => {
      const actual = figureValue(result.transports, threshold);
      return { expr: threshold.expr, actual, ok: actual !== null && holds[threshold.op](actual, threshold.limit) };
    });
}
