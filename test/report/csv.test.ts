import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMN_ORDER, serialize } from '../../src/report/csv.js';
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

/** A strict RFC 4180 reader (records end with CRLF; quoted fields may hold anything): csv-parse, not ours. */
function parseCsv(text: string): string[][] {
  return parse(text, { record_delimiter: '\r\n', relax_column_count: false });
}
