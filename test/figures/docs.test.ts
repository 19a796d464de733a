import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIGURE_CATALOG, type FigureDefinition } from '../../src/figures/catalog.js';
import { modelRowLabel } from '../../src/report/figures.js';

const code = (text: string) => `\`${text}\``;

function whereStored(figure: FigureDefinition): string {
  if (figure.kind === 'quotient') return `— (${code(figure.numerator)} / ${code(figure.denominator)})`;
  return figure.kind === 'model' ? `${code(figure.path)} {model, measured}` : code(figure.path);
}

function compared(figure: FigureDefinition): string {
  if (figure.kind === 'model' || !figure.shown) return '—';
  if (figure.kind === 'measured' && figure.setup) return 'as a setup note';
  return figure.direction === 'none' ? 'shown, not judged' : `${figure.direction} is better, ${figure.noise}`;
}

function threshold(figure: FigureDefinition): string {
  if (figure.kind !== 'measured' || !figure.threshold) return '—';
  return code(figure.threshold === true ? figure.id : figure.threshold);
}

/** The catalog as the table of docs/metrics.md shows it. */
function catalogTable(): string {
  const rows = FIGURE_CATALOG.map((figure) => {
    const row = figure.shown ? (figure.kind === 'model' ? modelRowLabel(figure.label) : figure.label) : '— (not shown)';
    return `| ${code(figure.id)} | ${whereStored(figure)} | ${figure.unit} | ${row} | ${figure.csv ? code(figure.csv) : '—'} | ${threshold(figure)} | ${compared(figure)} |`;
  });
  return ['| figure | in result.json | unit | table row | CSV column | threshold name | compare |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

describe('docs/metrics.md', () => {
  it('shows the figure catalog as it is', () => {
    const page = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const start = page.indexOf('| figure | in result.json |');
    expect(start, 'the catalog table').toBeGreaterThan(0);
    const end = page.indexOf('\n\n', start);
    expect(page.slice(start, end)).toBe(catalogTable());
  });
});
