import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, neutraliseFormula, serialize } from '../../src/report/csv.js';
import { loadFixture } from './fixture.js';

describe('csvField', () => {
  it('writes numbers as numbers, negative ones included', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(12345)).toBe('12345');
  });

  it('writes null and undefined as empty cells', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField('plain')).toBe('plain');
  });

  it.each(['=1+1', '+1', '-3+cmd', '@SUM(A1)', '\tx', '\rx', '-3'])('neutralises the formula %j', (text) => {
    expect(csvField(text).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('neutralises first, then quotes', () => {
    expect(csvField('=HYPERLINK("x"),1')).toBe(`"'=HYPERLINK(""x""),1"`);
    expect(neutraliseFormula('safe=text')).toBe('safe=text');
  });
});

describe('serialize', () => {
  const result = loadFixture();
  const text = serialize(result);

  it('ends every line with CRLF, a header and one row per transport', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    const records = parseCsv(text);
    expect(records).toHaveLength(1 + result.transports.length);
    for (const record of records) expect(record).toHaveLength(CSV_COLUMNS.length);
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

/** A strict RFC 4180 reader: records end with CRLF; quoted fields may hold anything. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') record.push(field), (field = '');
    else if (char === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += char;
  }
  return records;
}
