/**
 * A comparison as one JSON document, for scripts: every judged figure in base units with its
 * verdict and its raw and Holm-adjusted p-values, the headline, and whether it fails CI (the
 * exit code says the same). Non-finite numbers (a change from 0 is infinitely large) become
 * the strings "Infinity" / "-Infinity", which JSON cannot hold as numbers.
 */
import { scenarioName } from '../report/header.js';
import { hasRegression, type ComparedSide, type Comparison } from './compare.js';
import { headline } from './summary.js';

const finiteOr = (value: number | null): number | string | null => (value === null || Number.isFinite(value) ? value : String(value));

function side(compared: ComparedSide) {
  return {
    name: compared.name,
    scenario: scenarioName(compared.result),
    startedAt: compared.result.startedAt,
    ...(compared.label ? { label: compared.label } : {}),
  };
}

export function serialize(comparison: Comparison): string {
  const document = {
    baseline: side(comparison.baseline),
    current: side(comparison.current),
    tolerance: comparison.tolerance,
    regression: hasRegression(comparison),
    headline: headline(comparison),
    workloadChanged: comparison.workloadChanged,
    onlyInBaseline: comparison.onlyInBaseline,
    onlyInCurrent: comparison.onlyInCurrent,
    notes: comparison.notes,
    figures: comparison.figures.map((row) => ({
      transport: row.transport,
      figure: row.figure.id,
      label: row.figure.label,
      baseline: row.baseline,
      current: row.current,
      difference: row.judgement.difference,
      relative: finiteOr(row.judgement.relative),
      verdict: row.judgement.verdict,
      basis: row.judgement.basis,
      p: row.judgement.test?.p ?? null,
      adjustedP: row.adjustedP,
    })),
    latencyDistributions: comparison.distributions.map((d) => ({
      ...d,
      quantiles: d.quantiles.map((q) => ({ ...q, relative: finiteOr(q.relative) })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
