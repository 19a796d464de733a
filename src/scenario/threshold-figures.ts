/**
 * The figures a threshold may name, and that list as one readable line. Apart from
 * thresholds.ts so that `run --help` can print the list without loading the scenario model.
 */
import { FIGURE_CATALOG, type MeasuredFigure } from '../figures/catalog.js';

/** A figure thresholds may name: shown in the report by construction (the catalog's type allows `threshold` on shown figures only). */
export type ThresholdFigure = Extract<MeasuredFigure, { shown: true }>;

/** The name a threshold uses for the figure: its documented name, or its id. */
function thresholdName(figure: ThresholdFigure): string {
  return typeof figure.threshold === 'string' ? figure.threshold : figure.id;
}

/** Every figure a threshold may name, by the name thresholds use, in catalog order. */
export const THRESHOLD_FIGURES: ReadonlyMap<string, ThresholdFigure> = new Map(
  FIGURE_CATALOG.flatMap((figure) => (figure.kind === 'measured' && figure.shown && figure.threshold ? [[thresholdName(figure), figure] as const] : [])),
);

/** The catalogue in a readable line: summaries once with their statistics, other groups with their fields. */
export const FIGURE_LIST = (() => {
  const groups = new Map<string, string[]>();
  for (const name of THRESHOLD_FIGURES.keys()) {
    // Group by all but the last part, so that offline.recover.p50 and offline.recover.p99 read offline.recover.{p50,p99}.
    const cut = name.lastIndexOf('.');
    const [group, field] = [name.slice(0, cut), name.slice(cut + 1)];
    groups.set(group, [...(groups.get(group) ?? []), field]);
  }
  return [...groups].map(([group, fields]) => `${group}.{${fields.join(',')}}`).join(', ');
})();
