/**
 * A comparison as a terminal table (printed to stderr): every figure, transport by
 * transport, then what one side lacks, the notes and the headline, which is last so that
 * it is on screen when the table has scrolled by. No colour: the string stays testable.
 */
import Table from 'cli-table3';
import type { Comparison } from './compare.js';
import { columns } from './columns.js';
import { distributionNote, distributionTable } from './distribution.js';
import { headline, method, oneSidedTransports, title } from './summary.js';

export function serialize(comparison: Comparison): string {
  const spec = columns(comparison);
  const table = new Table({
    head: spec.map((column) => column.head),
    colAligns: spec.map((column) => column.align),
    style: { head: [], border: [], compact: true },
  });
  let previous: string | undefined;
  for (const row of comparison.figures) {
    const cells = spec.map((column) => column.cell(row));
    // The transport is named once per group: repeated on every row it is noise to read past.
    if (row.transport === previous) cells[0] = '';
    previous = row.transport;
    table.push(cells);
  }
  const lines = [
    title(comparison),
    table.toString(),
    ...distributionSection(comparison),
    ...oneSidedTransports(comparison),
    ...comparison.notes.map((note) => `note: ${note}`),
    `${headline(comparison)}. ${method(comparison)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The latency quantiles below the figures, when both sides stored histograms. */
function distributionSection(comparison: Comparison): string[] {
  if (comparison.distributions.length === 0) return [];
  const { heads, rows } = distributionTable(comparison.distributions);
  const table = new Table({ head: heads, colAligns: heads.map((_, i) => (i === 0 ? 'left' : 'right')), style: { head: [], border: [], compact: true } });
  table.push(...rows);
  return [distributionNote(comparison), table.toString()];
}
