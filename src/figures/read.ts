/**
 * Reading a catalog figure out of one transport's result (pure). The result is taken as plain
 * data: this folder sits below the result model, which holds the catalog's paths to its
 * fields with a type check of its own (src/report/figures.ts).
 */
import type { FigureDefinition, ModelFigure, MeasuredFigure, QuotientFigure } from './catalog.js';

/** A `{model, measured}` pair as a model figure holds it. */
export interface FigurePair {
  model: number | null;
  measured: number | null;
}

/** The value at a dotted path of plain data; undefined where the path leads nowhere. */
export function readPath(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** A number, null (not measured) or undefined (not there: the figure does not apply). */
function numberAt(data: unknown, path: string): number | null | undefined {
  const value = readPath(data, path);
  if (value === null) return null;
  return typeof value === 'number' ? value : undefined;
}

/**
 * A single-number figure of one transport, in its unit: null when not measured, undefined
 * when it does not apply to the transport. A quotient is null when its denominator is 0.
 */
export function figureValue(figure: MeasuredFigure | QuotientFigure, transport: object): number | null | undefined {
  if (figure.kind === 'measured') return numberAt(transport, figure.path);
  const numerator = numberAt(transport, figure.numerator);
  const denominator = numberAt(transport, figure.denominator);
  if (numerator === undefined || denominator === undefined) return undefined;
  return numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
}

/** A model figure's pair for one transport; undefined when the transport has no such model. */
export function figurePair(figure: ModelFigure, transport: object): FigurePair | undefined {
  const model = numberAt(transport, `${figure.path}.model`);
  const measured = numberAt(transport, `${figure.path}.measured`);
  return model === undefined || measured === undefined ? undefined : { model, measured };
}

/** Whether the figure exists for this transport (only `optional` figures can be absent). */
export function appliesTo(figure: FigureDefinition, transport: object): boolean {
  return figure.kind === 'model' ? figurePair(figure, transport) !== undefined : figureValue(figure, transport) !== undefined;
}

/**
 * The numeric leaves of result.json a figure owns, as dotted paths: its own for a measured
 * figure, both halves of a model pair, none for a quotient (computed, never stored).
 * `--repeat` folds exactly these into medians with their spread.
 */
export function storedPaths(figure: FigureDefinition): string[] {
  switch (figure.kind) {
    case 'measured':
      return [figure.path];
    case 'model':
      return [`${figure.path}.model`, `${figure.path}.measured`];
    case 'quotient':
      return [];
  }
}
