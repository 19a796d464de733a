import { FIGURE_CATALOG, type FigureDefinition, type MeasuredFigure, type ModelFigure, type QuotientFigure } from '../figures/catalog.js';
import { appliesTo, figurePair, figureValue } from '../figures/read.js';
import { FORMAT_OF_UNIT, MISSING, orMissing } from './format.js';
import type { TransportResult } from './model.js';

/**
 * The one row spec shared by the terminal table, the markdown table and report.html's table:
 * one row per figure the catalog shows (src/figures/catalog.ts), one column per transport.
 */
export interface Figure {
  /** The catalog id, e.g. "latency.p99" (for tests and for picking rows). */
  id: string;
  /** Row label, with the unit when it is the same for every cell, e.g. "latency p99 (ms)". */
  label: string;
  /** The formatted cell for one transport (`MISSING` when not measured or not applicable). */
  cell: (transport: TransportResult) => string;
  /** Whether the figure exists for this transport; a row no transport has is left out. */
  appliesTo?: (transport: TransportResult) => boolean;
  /** The raw value in the figure's base unit (single-number rows only; `compare` reads it). */
  value?: (transport: TransportResult) => number | null | undefined;
  /** The row's number formatter (single-number rows only). */
  format?: (n: number) => string;
}

/** Rows of figures that only some transports have say so; the others are in every result. */
function applicability(figure: FigureDefinition): Pick<Figure, 'appliesTo'> {
  return figure.optional ? { appliesTo: (transport) => appliesTo(figure, transport) } : {};
}

/**
 * A single-number row; after `--repeat` each median shows its range and, from 3 repeats, its
 * mean's 95 % CI: "2.57 (2.47–2.92; CI 2.51–2.75)".
 */
function numberRow(figure: MeasuredFigure | QuotientFigure): Figure {
  const format = FORMAT_OF_UNIT[figure.unit];
  const show = orMissing(format);
  const value = (transport: TransportResult) => figureValue(figure, transport);
  return {
    id: figure.id,
    label: figure.label,
    value,
    format,
    cell: (transport) => {
      const range = figure.kind === 'measured' ? transport.spread?.[figure.path] : undefined;
      // A figure the repeats all agree on (a count the schedule fixes) is shown alone: its range and CI would only repeat it.
      if (!range || range.min === range.max) return show(value(transport));
      const ci = range.ciLow !== null && range.ciHigh !== null ? `; CI ${format(range.ciLow)}–${format(range.ciHigh)}` : '';
      return `${show(value(transport))} (${format(range.min)}–${format(range.max)}${ci})`;
    },
    ...applicability(figure),
  };
}

/** "mean latency (ms)" → "mean latency model / measured (ms)": the unit stays last. */
export function modelRowLabel(label: string): string {
  const unit = / \([^)]*\)$/.exec(label)?.[0] ?? '';
  return `${label.slice(0, label.length - unit.length)} model / measured${unit}`;
}

/** A "model / measured" row. */
function modelRow(figure: ModelFigure): Figure {
  const show = orMissing(FORMAT_OF_UNIT[figure.unit]);
  return {
    id: figure.id,
    label: modelRowLabel(figure.label),
    cell: (transport) => {
      const pair = figurePair(figure, transport);
      return pair ? `${show(pair.model)} / ${show(pair.measured)}` : MISSING;
    },
    ...applicability(figure),
  };
}

/** The figure's row, or none for a figure the tables do not show. */
function rowOf(figure: FigureDefinition): Figure[] {
  if (!figure.shown) return [];
  return [figure.kind === 'model' ? modelRow(figure) : numberRow(figure)];
}

/** Every row the tables can show, in catalog order. */
export const FIGURES: readonly Figure[] = FIGURE_CATALOG.flatMap(rowOf);

/** A rendered row: its label and one formatted cell per transport. */
export interface FigureRowCells {
  id: string;
  label: string;
  cells: string[];
}

/** The rows for these transports: figures no transport has are left out. */
export function figureRows(transports: readonly TransportResult[], figures: readonly Figure[] = FIGURES): FigureRowCells[] {
  return figures
    .filter((figure) => figure.appliesTo === undefined || transports.some(figure.appliesTo))
    .map((figure) => ({ id: figure.id, label: figure.label, cells: transports.map(figure.cell) }));
}
