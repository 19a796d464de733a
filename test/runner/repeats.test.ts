import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResult, TransportResultSchema, type TransportResult } from '../../src/report/model.js';
import { foldTransport } from '../../src/runner/repeats.js';

const fixture = parseResult(JSON.parse(readFileSync(join(import.meta.dirname, '../report/fixtures/result.json'), 'utf8')));
const base = fixture.transports[0]!;

function withLatency(p50: number, delivered: number, warning?: string): TransportResult {
  const copy = structuredClone(base);
  copy.latencyMs.p50 = p50;
  copy.events.delivered = delivered;
  copy.warnings = warning ? [{ code: 'client-failures', message: warning, transport: copy.transport }] : [];
  return copy;
}

describe('folding repeats', () => {
  const folded = foldTransport([withLatency(30, 100, 'late'), withLatency(10, 98), withLatency(20, 99, 'late')]);

  it('reports each figure as its median, with its spread', () => {
    expect(folded.latencyMs.p50).toBe(20);
    expect(folded.events.delivered).toBe(99);
    expect(folded.spread?.['latencyMs.p50']).toMatchObject({ n: 3, min: 10, max: 30 });
    expect(folded.spread?.['events.delivered']).toMatchObject({ n: 3, min: 98, max: 100 });
  });

  it('keeps a valid transport result', () => {
    expect(TransportResultSchema.parse(folded)).toEqual(folded);
  });

  it('says in which repeats each warning came up, once', () => {
    expect(folded.warnings).toEqual([{ code: 'client-failures', message: 'repeat 1, 3: late', transport: base.transport }]);
  });

  it('leaves a single run as it was', () => {
    const single = foldTransport([base]);
    expect(single).toEqual(base);
  });
});
