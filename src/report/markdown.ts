import { figureRows } from './figures.js';
import { allWarnings, oneLine, resultTitle, runLine, thresholdLine, warningLine, workloadNote } from './header.js';
import type { Result } from './model.js';

/**
 * result.md: a heading, one table (one row per figure, one column per transport: narrow
 * enough for 4–6 transports on a GitHub page), thresholds and warnings as lists.
 */
export function serialize(result: Result): string {
  const sections = [
    `# push-bench: ${escapeInline(resultTitle(result))}`,
    escapeInline(runLine(result)),
    escapeInline(workloadNote(result)),
    figuresTable(result),
    thresholdsSection(result),
    warningsSection(result),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function figuresTable(result: Result): string {
  if (result.transports.length === 0) return '_No transport has finished yet._';
  const header = ['figure', ...result.transports.map((transport) => transport.transport)];
  const align = [':---', ...result.transports.map(() => '---:')];
  const body = figureRows(result.transports).map((row) => [row.label, ...row.cells]);
  return [header, align, ...body].map(tableLine).join('\n');
}

function thresholdsSection(result: Result): string {
  if (result.thresholds.length === 0) return '';
  const lines = result.thresholds.map((threshold) => `- ${escapeInline(thresholdLine(threshold))}`);
  return ['## Thresholds', '', ...lines].join('\n');
}

function warningsSection(result: Result): string {
  const warnings = allWarnings(result);
  if (warnings.length === 0) return '';
  return ['## Warnings', '', ...warnings.map((warning) => `- ${escapeInline(warningLine(warning))}`)].join('\n');
}

function tableLine(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

/** A table cell may hold neither a pipe nor a line break. */
function escapeCell(text: string): string {
  return escapeInline(text).replaceAll('|', '\\|');
}

/** Line breaks inside one markdown line would end it; control characters have no place in a page. */
const escapeInline = oneLine;
