import { parse } from 'csv-parse/sync';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { FIGURE_CATALOG, type FigureDefinition, type FigurePath, type ModelPairPath } from '../../src/figures/catalog.js';
import { appliesTo, figurePair, figureValue, readPath, storedPaths } from '../../src/figures/read.js';
import { CSV_COLUMN_ORDER, serialize as toCsv } from '../../src/report/csv.js';
import { serialize as toMarkdown } from '../../src/report/markdown.js';
import { TransportResultSchema, type ModelPair, type TransportResult } from '../../src/report/model.js';
import { modelRowLabel } from '../../src/report/figures.js';
import { serialize as toTable } from '../../src/report/table.js';
import { evaluateThresholds } from '../../src/runner/thresholds.js';
import { parseThreshold } from '../../src/scenario/thresholds.js';
import { THRESHOLD_FIGURES } from '../../src/scenario/threshold-figures.js';
import type { SchemaNode } from '../helpers/schema-node.js';
import { loadFixture } from '../report/fixture.js';

/** Dotted paths of T whose value is a `Leaf` (or null), not descending into arrays or the spread record. */
type PathsTo<T, Leaf> = {
  [K in Exclude<keyof T, 'spread'> & string]-?: NonNullable<T[K]> extends Leaf
    ? K
    : NonNullable<T[K]> extends readonly unknown[]
      ? never
      : NonNullable<T[K]> extends object
        ? `${K}.${PathsTo<NonNullable<T[K]>, Leaf>}`
        : never;
}[Exclude<keyof T, 'spread'> & string];

const result = loadFixture();
const { transports } = result;

/** The transports of the fixture a figure applies to; the fixture has every figure somewhere. */
const transportsWith = (figure: FigureDefinition) => transports.filter((transport) => appliesTo(figure, transport));

/** Dotted paths of every number (and null) of a transport, arrays and the spread left out. */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value === 'number') return [prefix];
  if (typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => (key === 'spread' ? [] : leaves(child, prefix ? `${prefix}.${key}` : key)));
}

describe('the figure catalog against the result model', () => {
  it('reads only paths the result model has, numbers where it reads a number and pairs where it reads a model', () => {
    expectTypeOf<Exclude<FigurePath, ModelPairPath>>().toExtend<PathsTo<TransportResult, number>>();
    expectTypeOf<ModelPairPath>().toExtend<PathsTo<TransportResult, ModelPair>>();
  });

  it('has every figure in result.json: each applies to some transport of the fixture', () => {
    for (const figure of FIGURE_CATALOG) expect(transportsWith(figure).length, figure.id).toBeGreaterThan(0);
  });

  it('owns every number of a transport result exactly once, so --repeat folds all of them', () => {
    const owned = FIGURE_CATALOG.flatMap(storedPaths);
    expect(new Set(owned).size).toBe(owned.length);
    const stored = new Set(transports.flatMap((transport) => leaves(transport)));
    expect([...stored].filter((path) => !owned.includes(path))).toEqual([]);
  });

  it('marks as optional exactly the figures the schema lets a transport leave out', () => {
    const optionalInSchema = (path: string) => {
      let schema: SchemaNode = TransportResultSchema;
      for (const key of path.split('.')) {
        const child = (schema.unwrap?.() ?? schema).shape?.[key];
        if (!child) throw new Error(`the transport result schema has no ${path}`);
        schema = child;
        if (schema.isOptional()) return true;
      }
      return false;
    };
    for (const figure of FIGURE_CATALOG) {
      const path = figure.kind === 'quotient' ? figure.numerator : figure.path;
      expect(figure.optional === true, figure.id).toBe(optionalInSchema(path));
    }
  });

  it('has unique ids, CSV columns and threshold names', () => {
    const ids = FIGURE_CATALOG.map((figure) => figure.id);
    const columns = FIGURE_CATALOG.flatMap((figure) => (figure.csv ? [figure.csv] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(columns).size).toBe(columns.length);
    expect(THRESHOLD_FIGURES.size).toBe(FIGURE_CATALOG.filter((figure) => figure.kind === 'measured' && figure.threshold).length);
  });
});

describe('every figure where its catalog entry says', () => {
  const table = toTable(result);
  const markdown = toMarkdown(result);

  it.each(FIGURE_CATALOG.map((figure) => [figure.id, figure] as const))('%s: in the tables when shown, and only then', (_, figure) => {
    const label = figure.kind === 'model' ? modelRowLabel(figure.label) : figure.label;
    expect(table.includes(`│ ${label} `), 'terminal table').toBe(figure.shown);
    expect(markdown.includes(`| ${label} |`), 'markdown').toBe(figure.shown);
  });

  it.each(FIGURE_CATALOG.map((figure) => [figure.id, figure] as const))('%s: its CSV column holds the number of result.json', (_, figure) => {
    if (figure.csv === undefined) return;
    const [header = [], ...rows] = parse(toCsv(result), { record_delimiter: '\r\n' });
    const index = header.indexOf(figure.csv);
    expect(index, figure.csv).toBeGreaterThan(0);
    transports.forEach((transport, row) => {
      const stored = figure.kind === 'model' ? figurePair(figure, transport)?.model : figure.kind === 'measured' ? figureValue(figure, transport) : undefined;
      expect(rows[row]?.[index], `${figure.csv} of ${transport.transport}`).toBe(stored === null || stored === undefined ? '' : String(stored));
    });
  });

  it('writes the CSV columns in their frozen order, each once', () => {
    expect(toCsv(result).split('\r\n')[0]).toBe(CSV_COLUMN_ORDER.join(','));
  });

  it.each(FIGURE_CATALOG.map((figure) => [figure.id, figure] as const))('%s: compared when shown and measured, judged per its direction', (_, figure) => {
    const comparison = compareResults({ name: 'a', result }, { name: 'b', result }, { tolerance: 0.1 });
    const rows = comparison.figures.filter((row) => row.figure.id === figure.id);
    const compared = figure.kind !== 'model' && figure.shown && !(figure.kind === 'measured' && figure.setup);
    if (!compared) return expect(rows).toEqual([]);
    expect(rows.map((row) => row.transport)).toEqual(
      transportsWith(figure)
        .filter((t) => figureValue(figure, t) !== null)
        .map((t) => t.transport),
    );
    for (const row of rows) expect(row.judgement.verdict).toBe(figure.direction === 'none' ? 'not-judged' : 'within-noise');
  });

  it.each([...THRESHOLD_FIGURES].map(([name, figure]) => [name, figure] as const))(
    'threshold %s: shown, and checked against its value in result.json',
    (name, figure) => {
      expect(figure.shown).toBe(true);
      const limit = { ms: '1h', 'cpu-ms': '1h', 'window-ms': '1h', bytes: '1GB', count: '1000000000', ratio: '1000', fraction: '100%' }[figure.unit];
      // An optional figure is checked on a transport whose result has it.
      const subject = transportsWith(figure)[0]!;
      const parsed = parseThreshold(`${subject.transport}.${name} <= ${limit}`);
      if (!parsed.ok) throw new Error(parsed.message);
      const [outcome] = evaluateThresholds(result, [parsed.threshold]);
      expect(outcome?.actual).toBe(readPath(subject, figure.path));
    },
  );
});
