/**
 * The one column spec shared by the terminal table and the markdown tables of a
 * comparison: one spec, two renderings, so they cannot drift apart.
 */
import { oneLine } from '../report/header.js';
import { MISSING, formatPercent, orMissing } from '../report/format.js';
import type { ComparedFigure, Comparison } from './compare.js';
import type { Verdict } from './verdict.js';

export interface Column {
  head: string;
  align: 'left' | 'right';
  cell: (row: ComparedFigure) => string;
}

const VERDICT_TEXT: Record<Verdict, string> = {
  worse: 'worse',
  better: 'better',
  'within-noise': 'within noise',
  'needs-repeats': 'needs --repeat',
  'not-judged': MISSING,
  'baseline-only': 'baseline only',
  'current-only': 'current only',
  'workload-change': 'workload change',
};

const signed = (text: string, value: number): string => (value > 0 ? `+${text}` : text);

/** "+21.1 %", or "from 0" when the baseline was 0 (any change from nothing is infinitely large). */
function relativeText(relative: number): string {
  return Number.isFinite(relative) ? signed(formatPercent(relative), relative) : 'from 0';
}

/** "+418 (+21.1 %)", "-12.3 kB (-4.0 %)", "no change". */
function changeText(row: ComparedFigure): string {
  const { difference, relative } = row.judgement;
  if (difference === null || relative === null) return MISSING;
  if (difference === 0) return 'no change';
  return `${signed(row.figure.formatChange(difference), difference)} (${relativeText(relative)})`;
}

/** A p-value with 3 decimals; below 0.001 the digits are noise of the model, not information. */
function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "unchanged" rather than "within noise" when nothing moved at all: the plainer word. */
function verdictText(row: ComparedFigure): string {
  const { verdict, difference } = row.judgement;
  return verdict === 'within-noise' && difference === 0 ? 'unchanged' : VERDICT_TEXT[verdict];
}

/** The p-value of a figure that moved; for one that did not, p says nothing worth reading. */
function pText(row: ComparedFigure): string {
  const { test, difference } = row.judgement;
  return test && difference !== 0 ? formatP(test.p) : MISSING;
}

/** The p-value after Holm's correction over every figure tested: the one the verdict compares with α. */
function adjustedPText(row: ComparedFigure): string {
  return row.adjustedP !== null && row.judgement.difference !== 0 ? formatP(row.adjustedP) : MISSING;
}

function valueCell(pick: (row: ComparedFigure) => number | null): (row: ComparedFigure) => string {
  return (row) => orMissing(row.figure.format)(pick(row));
}

/** Whether any figure was decided by Welch's t-test: only then is there a p column. */
function anyTested(comparison: Comparison): boolean {
  return comparison.figures.some((row) => row.judgement.test !== null);
}

/** The columns for this comparison: transport, figure, baseline, current, change, verdict, and p (raw and Holm-adjusted) when tested. */
export function columns(comparison: Comparison): Column[] {
  const base: Column[] = [
    { head: 'transport', align: 'left', cell: (row) => oneLine(row.transport) },
    { head: 'figure', align: 'left', cell: (row) => row.figure.label },
    { head: comparison.baseline.label ?? 'baseline', align: 'right', cell: valueCell((row) => row.baseline) },
    { head: comparison.current.label ?? 'current', align: 'right', cell: valueCell((row) => row.current) },
    { head: 'change', align: 'right', cell: changeText },
    { head: 'verdict', align: 'left', cell: verdictText },
  ];
  const p: Column[] = [
    { head: 'p', align: 'right', cell: pText },
    { head: 'p (Holm)', align: 'right', cell: adjustedPText },
  ];
  return anyTested(comparison) ? [...base, ...p] : base;
}
