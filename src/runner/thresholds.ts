/** Checks a run's thresholds against its result (pure). */
import { figureValue } from '../figures/read.js';
import type { Result, ThresholdResult, TransportResult } from '../report/model.js';
import type { Comparison, Threshold } from '../scenario/thresholds.js';

const holds: Record<Comparison, (actual: number, limit: number) => boolean> = {
  '<': (a, l) => a < l,
  '<=': (a, l) => a <= l,
  '>': (a, l) => a > l,
  '>=': (a, l) => a >= l,
};

/** The figure a threshold names, in its base unit; null when the transport did not run or the figure is missing. */
function actualValue(transports: readonly TransportResult[], threshold: Threshold): number | null {
  const transport = transports.find((t) => t.transport === threshold.transport);
  return transport ? (figureValue(threshold.definition, transport) ?? null) : null;
}

/** Thresholds of transports that ran; a missing figure does not hold (a broken run must not pass). */
export function evaluateThresholds(result: Pick<Result, 'transports'>, thresholds: readonly Threshold[]): ThresholdResult[] {
  const ran = new Set(result.transports.map((t) => t.transport));
  return thresholds
    .filter((threshold) => ran.has(threshold.transport))
    .map((threshold) => {
      const actual = actualValue(result.transports, threshold);
      return { expr: threshold.expr, actual, ok: actual !== null && holds[threshold.op](actual, threshold.limit) };
    });
}
