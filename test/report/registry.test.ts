import { describe, expect, it } from 'vitest';
import { UnknownNameError, exporters, getExporter, isExporterName, lookup } from '../../src/report/registry.js';

describe('exporter registry', () => {
  it('finds every format by name', () => {
    expect(getExporter('json')).toBe(exporters.json);
    expect(getExporter('csv').extension).toBe('csv');
    expect(getExporter('md').extension).toBe('md');
    expect(isExporterName('md')).toBe(true);
    expect(isExporterName('toString')).toBe(false);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    let error: unknown;
    try {
      getExporter('xml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    expect(error).toMatchObject({ kind: 'format', given: 'xml', validNames: ['table', 'json', 'csv', 'md', 'html'], name: 'UnknownNameError' });
    expect((error as Error).message).toBe('unknown format "xml"; valid formats: table, json, csv, md, html');
  });

  it('does not treat inherited properties as names', () => {
    expect(() => lookup({ a: 1 }, 'thing', 'constructor')).toThrow(UnknownNameError);
  });
});
