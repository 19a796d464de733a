import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { serialize as asJson } from '../../src/compare/json.js';
import { serialize as asMarkdown } from '../../src/compare/markdown.js';
import { serialize as asTable } from '../../src/compare/table.js';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import type { Result } from '../../src/report/model.js';
import { loadResult } from './fixtures.js';

/** An encoded histogram of the given latencies, ms. */
function encoded(latenciesMs: readonly number[]): string {
  const histogram = new LatencyHistogram();
  for (const ms of latenciesMs) histogram.record(ms * 1e6);
  return histogram.encode();
}

/** 1,000 deliveries: 1 … 1,000 ms, each once; `tail` multiplies the slowest 2 %. */
function latencies(tail = 1): number[] {
  return Array.from({ length: 1_000 }, (_, i) => (i >= 980 ? (i + 1) * tail : i + 1));
}

/** The baseline fixture with histograms on the given transports. */
function withHistograms(histograms: Record<string, string>): Result {
  const result = loadResult('baseline');
  for (const transport of result.transports) {
    const histogram = histograms[transport.transport];
    if (histogram === undefined) delete transport.latencyHistogram;
    else transport.latencyHistogram = histogram;
  }
  return result;
}

const side = (name: string, result: Result) => ({ name, result });

describe('latency by quantile, from the stored histograms', () => {
  const names = loadResult('baseline').transports.map((t) => t.transport);
  const [first, second] = names as [string, string];

  it('puts each quantile of both sides side by side: here only the tail moved', () => {
    const baseline = withHistograms({ [first]: encoded(latencies()), [second]: encoded(latencies()) });
    const current = withHistograms({ [first]: encoded(latencies(3)), [second]: encoded(latencies()) });
    const { distributions } = compareResults(side('a', baseline), side('b', current), { tolerance: 0.1 });
    expect(distributions.map((d) => d.transport)).toEqual([first, second]);
    const moved = distributions[0]!;
    expect(moved.baselineCount).toBe(1_000);
    expect(moved.currentCount).toBe(1_000);
    const at = (label: string) => moved.quantiles.find((q) => q.label === label)!;
    // The body is the same (within the histogram's 0.1 %), the tail three times slower.
    expect(at('p50').baseline).toBeCloseTo(500, -1);
    expect(at('p50').relative).toBe(0);
    expect(at('p90').relative).toBe(0);
    expect(at('p99').current / at('p99').baseline).toBeCloseTo(3, 1);
    expect(at('max').current).toBeCloseTo(3_000, -1);
    expect(distributions[1]!.quantiles.every((q) => q.relative === 0)).toBe(true);
  });

  it('leaves out a transport without a histogram on either side, and says nothing when none has one', () => {
    const baseline = withHistograms({ [first]: encoded(latencies()) });
    const current = withHistograms({ [first]: encoded(latencies()), [second]: encoded(latencies()) });
    expect(compareResults(side('a', baseline), side('b', current), { tolerance: 0.1 }).distributions.map((d) => d.transport)).toEqual([first]);
    const none = compareResults(side('a', withHistograms({})), side('b', withHistograms({})), { tolerance: 0.1 });
    expect(none.distributions).toEqual([]);
    expect(asTable(none)).not.toContain('Latency by quantile');
    expect(asMarkdown(none)).not.toContain('Latency by quantile');
  });

  it('shows in the table, the Markdown and the JSON, with why it carries no verdict', () => {
    const comparison = compareResults(
      side('a', withHistograms({ [first]: encoded(latencies()) })),
      side('b', withHistograms({ [first]: encoded(latencies(3)) })),
      { tolerance: 0.1 },
    );
    const table = asTable(comparison);
    expect(table).toContain('Latency by quantile over every delivery');
    expect(table).toMatch(/p99\.9\s.*→.*\(\+[\d.]+ %\)/);
    expect(table).toMatch(/deliveries\s.*1,000 → 1,000/);
    const markdown = asMarkdown(comparison);
    expect(markdown).toContain('<summary>Latency by quantile</summary>');
    expect(markdown).toContain('not independent samples');
    expect(markdown).toMatch(/\| p50 \| [\d.]+ → [\d.]+ \(0\.0 %\) \|/);
    const json = JSON.parse(asJson(comparison)) as {
      latencyDistributions: Array<{ transport: string; quantiles: Array<{ label: string; relative: number }> }>;
    };
    expect(json.latencyDistributions[0]!.transport).toBe(first);
    expect(json.latencyDistributions[0]!.quantiles.map((q) => q.label)).toEqual(['p10', 'p25', 'p50', 'p75', 'p90', 'p99', 'p99.9', 'max']);
  });
});
