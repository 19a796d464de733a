/**
 * The figures `compare` judges, each with the direction that counts as better. Ids and
 * labels are those of the report's row spec (src/report/figures.ts), so a row reads the
 * same in result.md and in a comparison; test/compare/figures.test.ts checks that every
 * value here formats to the report's own cell.
 *
 * Left out: `clients` and `measured window` (the run's setup, reported as a setup change
 * instead) and the model rows (a model value follows from the scenario; the measured half
 * is compared under its own figure).
 */
import { FIGURES } from '../report/figures.js';
import { formatBytes, formatCount, formatMs, formatPercent, formatRatio } from '../report/format.js';
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

type Accessor = CompareFigure['value'];

/** A fraction's difference is in percentage points: 5.0 % → 7.5 % is "+2.5 pp", not "+2.5 %". */
const formatPoints = (difference: number): string => formatPercent(difference).replace(/ %$/, ' pp');

function figure(id: string, direction: Direction, value: Accessor, format: (value: number) => string, noise: Noise = 'exact'): CompareFigure {
  const label = FIGURES.find((reported) => reported.id === id)?.label ?? id;
  const formatChange = format === formatPercent ? formatPoints : format;
  const floor = format === formatMs ? LATENCY_FLOOR_MS : 0;
  return { id, label, direction, noise, floor, value, format, formatChange };
}

/** Empty responses as a fraction of requests, as the report computes it. */
function emptyFraction(transport: TransportResult): number | null {
  return transport.requests.total > 0 ? transport.requests.empty / transport.requests.total : null;
}

export const COMPARE_FIGURES: readonly CompareFigure[] = [
  // The workload sets these: a different count means a different run, not a better one.
  figure('events.published', 'none', (t) => t.events.published, formatCount),
  figure('events.expected', 'none', (t) => t.events.expected, formatCount),
  // Delivered mirrors lost (lost = expected − delivered): judging both would count one loss twice.
  figure('events.delivered', 'none', (t) => t.events.delivered, formatCount),
  figure('events.lost', 'lower', (t) => t.events.lost, formatCount),
  figure('events.duplicated', 'lower', (t) => t.events.duplicated, formatCount),
  figure('events.reordered', 'lower', (t) => t.events.reordered, formatCount),
  figure('latency.p50', 'lower', (t) => t.latencyMs.p50, formatMs, 'timing'),
  figure('latency.p90', 'lower', (t) => t.latencyMs.p90, formatMs, 'timing'),
  figure('latency.p99', 'lower', (t) => t.latencyMs.p99, formatMs, 'volatile'),
  figure('latency.p999', 'lower', (t) => t.latencyMs.p999, formatMs, 'volatile'),
  figure('latency.max', 'lower', (t) => t.latencyMs.max, formatMs, 'volatile'),
  figure('latency.mean', 'lower', (t) => t.latencyMs.mean, formatMs, 'timing'),
  figure('publishLag.p99', 'lower', (t) => t.publishLagMs.p99, formatMs, 'volatile'),
  figure('connect.p99', 'lower', (t) => t.connectMs.p99, formatMs, 'volatile'),
  figure('requests.total', 'lower', (t) => t.requests.total, formatCount),
  figure('requests.empty', 'lower', (t) => t.requests.empty, formatCount),
  figure('requests.emptyFraction', 'lower', emptyFraction, formatPercent),
  figure('requests.perDelivery', 'lower', (t) => t.requests.perDelivery, formatRatio),
  // One frame per event plus pings: the workload sets the count, and their cost is in bytes.
  figure('frames.down', 'none', (t) => t.frames?.down, formatCount),
  figure('frames.up', 'none', (t) => t.frames?.up, formatCount),
  figure('bytes.down', 'lower', (t) => t.bytes.down, formatBytes),
  figure('bytes.up', 'lower', (t) => t.bytes.up, formatBytes),
  figure('bytes.perDelivery', 'lower', (t) => t.bytes.perDelivery, formatBytes),
  figure('bytes.overheadRatio', 'lower', (t) => t.bytes.overheadRatio, formatRatio),
  figure('payloadBytesDelivered', 'none', (t) => t.payloadBytesDelivered, formatBytes),
  figure('server.cpuMs', 'lower', (t) => t.server.cpuMs, formatCount, 'volatile'),
  figure('server.rssPeakBytes', 'lower', (t) => t.server.rssPeakBytes, formatBytes, 'volatile'),
  figure('server.elu', 'lower', (t) => t.server.elu, formatPercent, 'volatile'),
  // The client processes stand in for browsers and phones: their CPU is a cost of the transport too.
  figure('client.cpuMs', 'lower', (t) => t.client.cpuMs, formatCount, 'volatile'),
  figure('client.elu', 'lower', (t) => t.client.elu, formatPercent, 'volatile'),
];
