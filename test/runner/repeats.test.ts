import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResult, TransportResultSchema, type TransportResult } from '../../src/report/model.js';
import { foldTransport } from '../../src/runner/repeats.js';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { assembleSeries } from '../../src/metrics/series.js';

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

  it("pools the repeats' histograms into the folded entry and leaves each series with its own repeat", () => {
    const runs = [10, 20, 30].map((ms) => {
      const run = withLatency(ms, 1);
      const histogram = new LatencyHistogram();
      histogram.record(ms * 1e6);
      run.latencyHistogram = histogram.encode();
      run.series = assembleSeries([], [], [{ name: 'measure', startMs: 0, endMs: 1_000 }]);
      return run;
    });
    const pooled = foldTransport(runs);
    expect(pooled.series).toBeUndefined();
    const summary = LatencyHistogram.decode(pooled.latencyHistogram!).summary();
    expect([summary.count, Math.round(summary.min!), Math.round(summary.max!)]).toEqual([3, 10, 30]);
    expect(runs.every((run) => run.series !== undefined)).toBe(true);
  });

  it('leaves a single run as it was', () => {
    const single = foldTransport([base]);
    expect(single).toEqual(base);
  });
});
