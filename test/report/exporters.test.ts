import { describe, expect, it } from 'vitest';
import { serialize as toCsv } from '../../src/report/csv.js';
import { FIGURES, figureRows } from '../../src/report/figures.js';
import { serialize as toJson } from '../../src/report/json.js';
import { serialize as toMarkdown } from '../../src/report/markdown.js';
import { parseResult } from '../../src/report/model.js';
import { serialize as toTable } from '../../src/report/table.js';
import { loadFixture } from './fixture.js';

const result = loadFixture();

describe('exporters on the frozen fixture', () => {
  it('json', async () => {
    const text = toJson(result);
    expect(parseResult(JSON.parse(text))).toEqual(result);
    await expect(text).toMatchFileSnapshot('./__snapshots__/result.json');
  });

  it('csv', async () => {
    await expect(toCsv(result)).toMatchFileSnapshot('./__snapshots__/result.csv');
  });

  it('markdown', async () => {
    await expect(toMarkdown(result)).toMatchFileSnapshot('./__snapshots__/result.md');
  });

  it('terminal table', async () => {
    await expect(toTable(result)).toMatchFileSnapshot('./__snapshots__/result.table.txt');
  });
});

describe('markdown table', () => {
  const tableLines = toMarkdown(result)
    .split('\n')
    .filter((line) => line.startsWith('|'));

  /** Cells of a table line, honouring escaped pipes. */
  const cellCount = (line: string) => line.split(/(?<!\\)\|/).length - 2;

  it('has the same number of cells on every row: a label plus one per transport', () => {
    expect(tableLines.length).toBeGreaterThan(20);
    for (const line of tableLines) expect(cellCount(line)).toBe(1 + result.transports.length);
  });

  it('shows null as — and keeps a line per row', () => {
    const p99 = tableLines.find((line) => line.startsWith('| latency p99 (ms) |'));
    expect(p99).toBe('| latency p99 (ms) | 1,982 | 4.86 | 1.11 | — |');
  });

  it('lists warnings, escaping line breaks', () => {
    const markdown = toMarkdown(result);
    expect(markdown).toContain('## Warnings');
    expect(markdown).toContain('- [websocket] server-said: =HYPERLINK("http://x"), then "quoted" and a | pipe');
  });

  it('says so when no transport finished', () => {
    expect(toMarkdown({ ...result, transports: [] })).toContain('No transport has finished yet');
  });
});

describe('shared figure spec', () => {
  it('gives the terminal table and markdown the same rows', () => {
    const table = toTable(result);
    const markdown = toMarkdown(result);
    for (const row of figureRows(result.transports)) {
      expect(table).toContain(row.label);
      expect(markdown).toContain(`| ${row.label} |`);
    }
  });

  it('has unique ids', () => {
    expect(new Set(FIGURES.map((figure) => figure.id)).size).toBe(FIGURES.length);
  });

  it('leaves out rows no transport has', () => {
    const withoutWebSocket = result.transports.filter((transport) => transport.transport !== 'websocket');
    const ids = figureRows(withoutWebSocket).map((row) => row.id);
    expect(ids).not.toContain('frames.down');
    expect(ids).toContain('model.meanLatencyMs');
    expect(figureRows([result.transports[2]!]).map((row) => row.id)).not.toContain('model.meanLatencyMs');
  });

  it('has the model rows for the pull transports only', () => {
    const row = figureRows(result.transports).find((candidate) => candidate.id === 'model.requestsPerDelivery');
    expect(row?.cells).toEqual(['5.00 / 5.00', '1.05 / 1.05', '—', '—']);
  });
});

describe('terminal table', () => {
  it('has no colour escape codes', () => {
    expect(toTable(result)).not.toContain('\u001b[');
  });
});
