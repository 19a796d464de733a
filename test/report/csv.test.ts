import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMN_ORDER, serialize, serializeAll } from '../../src/report/csv.js';
import { FIGURE_CATALOG } from '../../src/figures/catalog.js';
import type { TransportResult } from '../../src/report/model.js';
import { loadFixture } from './fixture.js';

const fixture = loadFixture();

/** The raw text after the header of result.csv with one transport, changed. */
function firstRow(change: (transport: TransportResult) => void): string {
  const transport = structuredClone(fixture.transports[0]!);
  change(transport);
  const header = `${CSV_COLUMN_ORDER.join(',')}\r\n`;
  return serialize({ ...fixture, transports: [transport] }).slice(header.length);
}

describe('cells', () => {
  it('writes numbers as numbers, negative ones included', () => {
    expect(firstRow((t) => (t.clients = -3))).toMatch(/^polling,-3,/);
    expect(firstRow((t) => (t.clients = 0.25))).toMatch(/^polling,0.25,/);
    expect(firstRow((t) => (t.clients = 12345))).toMatch(/^polling,12345,/);
  });

  it('writes null and numbers that are not finite as empty cells', () => {
    expect(firstRow((t) => (t.latencyMs.min = null))).toMatch(/^polling,500,30000,1500,1500,1500,0,0,0,,1003.208,/);
    expect(firstRow((t) => (t.durationMs = Number.NaN))).toMatch(/^polling,500,,1500,/);
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(firstRow((t) => (t.transport = 'a,b'))).toMatch(/^"a,b",500,/);
    expect(firstRow((t) => (t.transport = 'say "hi"'))).toMatch(/^"say ""hi""",500,/);
    expect(firstRow((t) => (t.transport = 'two\nlines'))).toMatch(/^"two\nlines",500,/);
    expect(firstRow((t) => (t.transport = 'cr\rhere'))).toMatch(/^"cr\rhere",500,/);
    expect(firstRow((t) => (t.transport = 'plain'))).toMatch(/^plain,500,/);
  });

  it.each(['=1+1', '+1', '-3+cmd', '@SUM(A1)', '\tx', '\rx', '-3', '＝1'])('neutralises the formula %j', (text) => {
    expect(parseCsv(firstRow((t) => (t.transport = text)))[0]?.[0]).toBe(`'${text}`);
  });

  it('neutralises first, then quotes', () => {
    expect(firstRow((t) => (t.transport = '=HYPERLINK("x"),1'))).toMatch(/^"'=HYPERLINK\(""x""\),1",500,/);
    expect(firstRow((t) => (t.transport = 'safe=text'))).toMatch(/^safe=text,500,/);
  });
});

describe('serialize', () => {
  const result = fixture;
  const text = serialize(result);

  it('ends every line with CRLF, a header and one row per transport', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records).toHaveLength(1 + result.transports.length);
    for (const record of records) expect(record).toHaveLength(CSV_COLUMN_ORDER.length);
  });

  it('writes the header alone when no transport has finished', () => {
    expect(serialize({ ...result, transports: [] })).toBe(`${CSV_COLUMN_ORDER.join(',')}\r\n`);
  });

  it('names columns with units', () => {
    const [header] = parseCsv(text);
    expect(header).toEqual(expect.arrayContaining(['latency_p99_ms', 'bytes_down', 'server_rss_peak_bytes', 'duration_ms']));
  });

  it('keeps raw numbers, empty cells for nulls, and neutralised text', () => {
    const [header = [], , , , websocket = []] = parseCsv(text);
    const cell = (name: string) => websocket[header.indexOf(name)];
    expect(cell('latency_p99_ms')).toBe('');
    expect(cell('events_lost')).toBe('1500');
    expect(cell('warnings')).toBe(`connect-failures: 500 connection attempts failed.\nserver-said: =HYPERLINK("http://x"), then "quoted"\nand a | pipe`);
    const transportCell = parseCsv(serialize({ ...result, transports: [{ ...result.transports[0]!, transport: '=cmd' }] }))[1]?.[0];
    expect(transportCell).toBe("'=cmd");
  });
});

/** Records as objects keyed by the header. */
function recordsOf(text: string): Array<Record<string, string>> {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}

describe('which run a row is', () => {
  const withId = { ...fixture, runId: 'run-1' };

  it('a single run: run_id, scenario, started_at and repeat 1 on every row', () => {
    const rows = recordsOf(serialize(withId));
    expect(rows).toHaveLength(fixture.transports.length);
    for (const row of rows) expect(row).toMatchObject({ run_id: 'run-1', scenario: 'notifications', started_at: fixture.startedAt, repeat: '1' });
  });

  it('an older result without a run id: an empty run_id cell', () => {
    expect(recordsOf(serialize(fixture)).every((row) => row['run_id'] === '')).toBe(true);
  });

  it('with repeats: the medians (empty repeat), then every repeat of every transport (repeat 1..N)', () => {
    const slower = structuredClone(fixture.transports);
    slower[0]!.latencyMs.p50 = 1234;
    const repeated = {
      ...withId,
      repeats: [
        { startedAt: fixture.startedAt, transports: fixture.transports },
        { startedAt: fixture.startedAt, transports: slower },
      ],
    };
    const rows = recordsOf(serialize(repeated));
    const n = fixture.transports.length;
    expect(rows).toHaveLength(3 * n);
    expect(rows.map((row) => row['repeat'])).toEqual([...Array<string>(n).fill(''), ...Array<string>(n).fill('1'), ...Array<string>(n).fill('2')]);
    expect(rows[2 * n]).toMatchObject({ transport: 'polling', repeat: '2', latency_p50_ms: '1234' });
  });

  it('several results under one header, told apart by run_id', () => {
    const text = serializeAll([withId, { ...fixture, runId: 'run-2' }]);
    expect(text.split('\r\n').filter((line) => line.startsWith('transport,'))).toHaveLength(1);
    expect(recordsOf(text).map((row) => row['run_id'])).toEqual([
      ...Array<string>(fixture.transports.length).fill('run-1'),
      ...Array<string>(fixture.transports.length).fill('run-2'),
    ]);
  });
});

describe('the long layout', () => {
  const rows = recordsOf(serialize({ ...fixture, runId: 'run-1' }, 'long'));
  const wide = recordsOf(serialize(fixture));

  it('one row per transport and figure, with the figure id and unit', () => {
    expect(Object.keys(rows[0]!)).toEqual(['run_id', 'scenario', 'started_at', 'repeat', 'transport', 'figure', 'unit', 'value']);
    const p99 = rows.find((row) => row['transport'] === 'sse' && row['figure'] === 'latency.p99');
    expect(p99).toMatchObject({ unit: 'ms', run_id: 'run-1', repeat: '1' });
  });

  it('holds exactly the values of the wide layout', () => {
    for (const row of rows) {
      const figure = FIGURE_CATALOG.find((f) => f.id === row['figure'])!;
      const wideRow = wide.find((w) => w['transport'] === row['transport'])!;
      expect(row['value'], `${row['transport']} ${row['figure']}`).toBe(wideRow[figure.csv!]);
    }
    const perTransport = rows.filter((row) => row['transport'] === 'polling').length;
    expect(perTransport).toBeGreaterThan(50);
  });

  it('leaves out figures a transport does not have; keeps unmeasured ones with an empty value', () => {
    const websocket = rows.filter((row) => row['transport'] === 'websocket');
    expect(websocket.find((row) => row['figure'] === 'latency.p99')?.['value']).toBe('');
    const polling = rows.filter((row) => row['transport'] === 'polling').map((row) => row['figure']);
    expect(polling).not.toContain('frames.down');
    expect(websocket.map((row) => row['figure'])).toContain('frames.down');
  });
});

/** A strict RFC 4180 reader (records end with CRLF; quoted fields may hold anything): csv-parse, not ours. */
function parseCsv(text: string): string[][] {
  return parse(text, { record_delimiter: '\r\n', relax_column_count: false });
}
