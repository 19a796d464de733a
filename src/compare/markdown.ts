/**
 * A comparison as Markdown for a pull-request comment or a GitHub job summary: the headline
 * first, then only the figures that changed (regressions, improvements, figures one side
 * lacks), and every other figure folded away in <details>.
 */
import { oneLine } from '../report/header.js';
import { withVerdict, type ComparedFigure, type Comparison } from './compare.js';
import { columns, type Column } from './columns.js';
import { headline, method, oneSidedTransports, title } from './summary.js';
import { distributionNote, distributionTable } from './distribution.js';
import type { Verdict } from './verdict.js';

/** A mark that can be scanned in a long comment thread; the word stays for screen readers and copy-paste. */
const MARKS: Partial<Record<Verdict, string>> = { worse: '🔴 ', better: '🟢 ' };

/** Text from result files on one line and unable to break a table row. */
function inline(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

function markedColumns(comparison: Comparison): Column[] {
  return columns(comparison).map((column) =>
    column.head === 'verdict' ? { ...column, cell: (row) => `${MARKS[row.judgement.verdict] ?? ''}${column.cell(row)}` } : column,
  );
}

const line = (cells: readonly string[]) => `| ${cells.map(inline).join(' | ')} |`;

function table(comparison: Comparison, rows: readonly ComparedFigure[]): string {
  const spec = markedColumns(comparison);
  const align = spec.map((column) => (column.align === 'right' ? '---:' : ':---'));
  return [line(spec.map((column) => column.head)), `| ${align.join(' | ')} |`, ...rows.map((row) => line(spec.map((column) => column.cell(row))))].join('\n');
}

/** The latency quantiles, folded away like the unchanged figures: a reviewer opens them to see body or tail. */
function distributionSection(comparison: Comparison): string {
  if (comparison.distributions.length === 0) return '';
  const { heads, rows } = distributionTable(comparison.distributions);
  const align = heads.map((_, i) => (i === 0 ? ':---' : '---:'));
  const table = [line(heads), `| ${align.join(' | ')} |`, ...rows.map(line)].join('\n');
  return ['<details>', '<summary>Latency by quantile</summary>', '', distributionNote(comparison), '', table, '', '</details>'].join('\n');
}

function sidesLine(comparison: Comparison): string {
  const side = (label: string, { name, result }: Comparison['baseline']) =>
    `${label} ${inline(name)} (${inline(result.tool.name)} ${inline(result.tool.version)}, started ${inline(result.startedAt)})`;
  return `${side('Baseline', comparison.baseline)} → ${side('current', comparison.current)}.`;
}

function notesSection(comparison: Comparison): string {
  const lines = [...oneSidedTransports(comparison, inline), ...comparison.notes.map(inline)];
  return lines.map((note) => `- ${note}`).join('\n');
}

function foldedSection(comparison: Comparison, rows: readonly ComparedFigure[]): string {
  if (rows.length === 0) return '';
  const summary = `${rows.length} figure${rows.length === 1 ? '' : 's'} within noise, without a direction, or needing --repeat`;
  return ['<details>', `<summary>${summary}</summary>`, '', table(comparison, rows), '', '</details>'].join('\n');
}

/** The whole comparison as Markdown, ending with a newline. */
export function serialize(comparison: Comparison): string {
  const changed = withVerdict(comparison, 'worse', 'better', 'baseline-only', 'current-only').sort(
    (a, b) => rank(a.judgement.verdict) - rank(b.judgement.verdict),
  );
  const unchanged = withVerdict(comparison, 'within-noise', 'needs-repeats', 'not-judged');
  const sections = [
    `## ${inline(title(comparison))} — ${headline(comparison)}`,
    `${sidesLine(comparison)} ${method(comparison)}`,
    changed.length > 0 ? table(comparison, changed) : '',
    notesSection(comparison),
    foldedSection(comparison, unchanged),
    distributionSection(comparison),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

/** Regressions first: they are what a reviewer must act on. */
const ORDER: readonly Verdict[] = ['worse', 'better', 'baseline-only', 'current-only'];
function rank(verdict: Verdict): number {
  return ORDER.indexOf(verdict);
}
