/**
 * The figures `compare` judges: the figure catalog's shown single-number figures (src/figures/
 * catalog.ts: id, direction, noise, unit) with the report's own labels and formatters, so a row
 * reads the same in result.md and in a comparison. Left out: the setup figures (`clients`,
 * `measured window`: a difference is reported as a setup change instead) and the model rows
 * (a model value follows from the scenario; the measured half is compared under its own figure).
 */
import { FIGURE_CATALOG, type Direction, type Noise, type Unit } from '../figures/catalog.js';
import { figureValue } from '../figures/read.js';
import { FORMAT_OF_UNIT, formatPercent } from '../report/format.js';
import type { TransportResult } from '../report/model.js';

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

/** How a change of a value of this unit is written. */
function changeFormat(unit: Unit): (difference: number) => string {
  return unit === 'fraction' ? formatPoints : FORMAT_OF_UNIT[unit];
}

/** The judged figures, in the report's row order. */
export const COMPARE_FIGURES: readonly CompareFigure[] = FIGURE_CATALOG.flatMap((figure): CompareFigure[] => {
  if (figure.kind === 'model' || !figure.shown || (figure.kind === 'measured' && figure.setup)) return [];
  return [
    {
      id: figure.id,
      label: figure.label,
      direction: figure.direction,
      noise: figure.noise,
      floor: figure.unit === 'ms' ? LATENCY_FLOOR_MS : 0,
      value: (transport) => figureValue(figure, transport),
      format: FORMAT_OF_UNIT[figure.unit],
      formatChange: changeFormat(figure.unit),
    },
  ];
});
