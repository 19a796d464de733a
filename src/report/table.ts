import Table from 'cli-table3';
import { figureRows } from './figures.js';
import { allWarnings, INCOMPLETE, oneLine, resultTitle, thresholdLine, warningLine, workloadNote } from './header.js';
import type { Result } from './model.js';

/**
 * The terminal table (printed to stderr by the CLI): the same rows as result.md, drawn by
 * cli-table3. No colour here: the caller owns the terminal and the NO_COLOR decision, and a
 * pure string without escape codes can be snapshot-tested.
 */
export function serialize(result: Result): string {
  const table = new Table({
    head: ['', ...result.transports.map((transport) => oneLine(transport.transport))],
    colAligns: ['left', ...result.transports.map(() => 'right' as const)],
    style: { head: [], border: [], compact: true },
  });
  for (const row of figureRows(result.transports)) table.push([row.label, ...row.cells]);
  const notes = [
    ...(result.finishedAt === undefined ? [INCOMPLETE] : []),
    ...result.thresholds.map((threshold) => thresholdLine(threshold, true)),
    ...allWarnings(result).map((warning) => `warning ${warningLine(warning)}`),
  ];
  const note = workloadNote(result);
  return [oneLine(resultTitle(result)), ...(note ? [note] : []), table.toString(), ...notes].join('\n') + '\n';
}
