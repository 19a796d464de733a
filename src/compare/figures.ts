/**
 * The figures `compare` judges: the report's own rows (src/report/figures.ts: id, label,
 * value, formatter), each with the direction that counts as better and how noisy it is, so a
 * row reads the same in result.md and in a comparison.
 */
import { FIGURES, type Figure } from '../report/figures.js';
import { formatMs, formatPercent } from '../report/format.js';
import type { TransportResult } from '../report/model.js';

/**
 * `lower`: a smaller value is better (latency, bytes, requests, loss, CPU, RSS).
 * `higher`: a larger value is better. `none`: the value follows from the workload, so a
 * change says nothing good or bad about the transport; shown, never judged.
 */
export type Direction = 'lower' | 'higher' | 'none';

/**
 * How much a figure moves between two runs of the same commit, measured here (docs/ci.md):
 * - `exact`: set by the seeded schedule and the protocol (loss, requests, bytes): a change is real;
 * - `timing`: central latency (p50, p90, mean): steady, but moves by scheduler jitter;
 * - `volatile`: tails and extremes (p99 and beyond, max, publish lag, connect time) and process
 *   cost (CPU, RSS, event-loop use): two single runs of one commit differ by 20–150 %, so only
 *   repeats can tell a change from noise.
 */
export type Noise = 'exact' | 'timing' | 'volatile';

/**
 * Between single runs, latency changes up to this are within noise whatever their percentage:
 * two runs of one commit here moved push latencies (p50, p90, mean) by up to 1.2 ms (15 %),
 * timers wake ~1 ms late and the publish hop adds its own jitter (docs/ci.md). With repeats
 * the test judges instead.
 */
export const LATENCY_FLOOR_MS = 2;

export interface CompareFigure {
  /** The report's figure id, e.g. "latency.p99". */
  id: string;
  /** The report's row label, e.g. "latency p99 (ms)". */
  label: string;
  direction: Direction;
  /** The value in the figure's base unit; null when not measured, undefined when the figure does not apply. */
  value: (transport: TransportResult) => number | null | undefined;
  noise: Noise;
  /** Between single runs, a change no larger than this (in the figure's unit) is within noise, whatever its percentage. */
  floor: number;
  /** Formats a value (the report's formatter). */
  format: (value: number) => string;
  /** Formats a difference of two values: the same as `format`, except fractions change in percentage points. */
  formatChange: (difference: number) => string;
}

/** A fraction's difference is in percentage points: 5.0 % → 7.5 % is "+2.5 pp", not "+2.5 %". */
const formatPoints = (difference: number): string => formatPercent(difference).replace(/ %$/, ' pp');

/**
 * How each judged figure of the report's row spec is judged, by the report's figure id. Rows
 * not listed are not compared: `clients` and `measured window` (the run's setup, reported as a
 * setup change instead) and the model rows (a model value follows from the scenario; the
 * measured half is compared under its own figure).
 */
const JUDGED: Readonly<Record<string, { direction: Direction; noise?: Noise }>> = {
  // The workload sets these: a different count means a different run, not a better one.
  'events.published': { direction: 'none' },
  'events.expected': { direction: 'none' },
  // Delivered mirrors lost (lost = expected − delivered): judging both would count one loss twice.
  'events.delivered': { direction: 'none' },
  'events.lost': { direction: 'lower' },
  'events.duplicated': { direction: 'lower' },
  'events.reordered': { direction: 'lower' },
  'latency.p50': { direction: 'lower', noise: 'timing' },
  'latency.p90': { direction: 'lower', noise: 'timing' },
  'latency.p99': { direction: 'lower', noise: 'volatile' },
  'latency.p999': { direction: 'lower', noise: 'volatile' },
  'latency.max': { direction: 'lower', noise: 'volatile' },
  'latency.mean': { direction: 'lower', noise: 'timing' },
  'publishLag.p99': { direction: 'lower', noise: 'volatile' },
  'connect.p99': { direction: 'lower', noise: 'volatile' },
  'requests.total': { direction: 'lower' },
  'requests.empty': { direction: 'lower' },
  'requests.emptyFraction': { direction: 'lower' },
  'requests.perDelivery': { direction: 'lower' },
  // One frame per event plus pings: the workload sets the count, and their cost is in bytes.
  'frames.down': { direction: 'none' },
  'frames.up': { direction: 'none' },
  'bytes.down': { direction: 'lower' },
  'bytes.up': { direction: 'lower' },
  'bytes.perDelivery': { direction: 'lower' },
  'bytes.overheadRatio': { direction: 'lower' },
  'payloadBytesDelivered': { direction: 'none' },
  'server.cpuMs': { direction: 'lower', noise: 'volatile' },
  'server.rssPeakBytes': { direction: 'lower', noise: 'volatile' },
  'server.elu': { direction: 'lower', noise: 'volatile' },
  // The client processes stand in for browsers and phones: their CPU is a cost of the transport too.
  'client.cpuMs': { direction: 'lower', noise: 'volatile' },
  'client.elu': { direction: 'lower', noise: 'volatile' },
};

function compareFigure(reported: Figure, judged: { direction: Direction; noise?: Noise }): CompareFigure | undefined {
  const { value, format } = reported;
  if (!value || !format) return undefined;
  return {
    id: reported.id,
    label: reported.label,
    direction: judged.direction,
    noise: judged.noise ?? 'exact',
    floor: format === formatMs ? LATENCY_FLOOR_MS : 0,
    value,
    format,
    formatChange: format === formatPercent ? formatPoints : format,
  };
}

/** The judged figures, in the report's row order. */
export const COMPARE_FIGURES: readonly CompareFigure[] = FIGURES.flatMap((reported) => {
  const judged = JUDGED[reported.id];
  const figure = judged ? compareFigure(reported, judged) : undefined;
  return figure ? [figure] : [];
});
