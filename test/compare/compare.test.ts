import { describe, expect, it } from 'vitest';
import { compareResults, hasRegression } from '../../src/compare/compare.js';
import { setupChanges } from '../../src/compare/setup.js';
import { headline } from '../../src/compare/summary.js';
import { comparePair, loadResult, verdicts } from './fixtures.js';

describe('compare on frozen result pairs', () => {
  it('a result against itself: nothing changes, no regression', () => {
    const comparison = comparePair('baseline', 'baseline');
    expect(verdicts(comparison, 'worse')).toEqual([]);
    expect(verdicts(comparison, 'better')).toEqual([]);
    expect(comparison.figures.every((row) => row.judgement.difference === 0)).toBe(true);
    expect(comparison.notes).toEqual([]);
    expect(hasRegression(comparison)).toBe(false);
  });

  it('better: improvements only, small moves within noise', () => {
    const comparison = comparePair('baseline', 'better');
    expect(verdicts(comparison, 'better')).toEqual(['polling latency.mean', 'polling bytes.down']);
    expect(verdicts(comparison, 'worse')).toEqual([]);
    expect(verdicts(comparison, 'within-noise')).toContain('polling server.cpuMs');
    expect(hasRegression(comparison)).toBe(false);
  });

  it('worse: latency and loss regressions; server CPU needs repeats; delivered shown without a verdict', () => {
    const comparison = comparePair('baseline', 'worse');
    expect(verdicts(comparison, 'worse')).toEqual(['polling latency.p50', 'long-polling events.lost']);
    expect(verdicts(comparison, 'needs-repeats')).toEqual(['sse server.cpuMs']);
    const delivered = comparison.figures.find((row) => row.transport === 'long-polling' && row.figure.id === 'events.delivered');
    expect(delivered?.judgement).toMatchObject({ verdict: 'not-judged', difference: -8 });
    expect(hasRegression(comparison)).toBe(true);
  });

  it('a looser tolerance lets a +25 % latency pass but not a 5× loss', () => {
    const comparison = comparePair('baseline', 'worse', 0.3);
    expect(verdicts(comparison, 'worse')).toEqual(['long-polling events.lost']);
  });

  it('noisy repeats: overlapping spreads are within noise, a clear shift is worse, a tiny significant one is not', () => {
    const comparison = comparePair('repeats-baseline', 'repeats-current');
    expect(verdicts(comparison, 'worse')).toEqual(['polling server.cpuMs', 'polling server.cpuMsPerDelivery']);
    const find = (transport: string, id: string) => comparison.figures.find((row) => row.transport === transport && row.figure.id === id)!;
    expect(find('sse', 'latency.p99').judgement).toMatchObject({ verdict: 'within-noise', basis: 'welch' });
    expect(find('sse', 'latency.p99').judgement.relative).toBeCloseTo(0.2 / 1.1, 12);
    expect(find('polling', 'client.cpuMs').judgement.verdict).toBe('within-noise');
    expect(find('polling', 'client.cpuMs').judgement.test?.p).toBeLessThan(0.05);
  });

  it('adjusts every tested p-value (Holm): never below the raw p, monotone in the raw order, and below α for what moved', () => {
    const comparison = comparePair('repeats-baseline', 'repeats-current');
    const tested = comparison.figures.filter((row) => row.judgement.test !== null);
    expect(tested.length).toBeGreaterThan(2);
    const m = tested.length;
    const byRaw = [...tested].sort((a, b) => a.judgement.test!.p - b.judgement.test!.p);
    for (const [rank, row] of byRaw.entries()) {
      const adjusted = row.adjustedP!;
      expect(adjusted).toBeGreaterThanOrEqual(row.judgement.test!.p);
      expect(adjusted).toBeLessThanOrEqual(1);
      expect(adjusted).toBeGreaterThanOrEqual(Math.min(1, (m - rank) * row.judgement.test!.p) - 1e-15);
      if (rank > 0) expect(adjusted).toBeGreaterThanOrEqual(byRaw[rank - 1]!.adjustedP!);
    }
    // A change judged by the test moved only if its adjusted p is below α.
    for (const row of tested.filter((r) => r.judgement.verdict === 'worse' || r.judgement.verdict === 'better')) expect(row.adjustedP).toBeLessThan(0.05);
    expect(tested.find((row) => row.transport === 'polling' && row.figure.id === 'server.cpuMs')!.adjustedP).toBeLessThan(0.05);
    expect(comparison.figures.filter((row) => row.judgement.test === null).every((row) => row.adjustedP === null)).toBe(true);
  });

  it('a transport the baseline ran and the current result lacks is listed and fails the comparison', () => {
    const comparison = comparePair('baseline', 'missing-transport');
    expect(comparison.onlyInBaseline).toEqual(['websocket']);
    expect(comparison.onlyInCurrent).toEqual(['http-streaming']);
    expect(new Set(comparison.figures.map((row) => row.transport))).toEqual(new Set(['polling', 'long-polling', 'sse']));
    expect(hasRegression(comparison)).toBe(true);
    expect(headline(comparison)).toBe('1 transport missing from the current result (websocket)');
  });

  it('a transport only the current result ran is listed, and fails nothing', () => {
    const comparison = comparePair('missing-transport', 'missing-transport');
    const current = loadResult('missing-transport');
    current.transports = current.transports.filter((t) => t.transport !== 'http-streaming');
    expect(hasRegression(compareResults({ name: 'a', result: current }, { name: 'b', result: loadResult('missing-transport') }, { tolerance: 0.1 }))).toBe(
      false,
    );
    expect(hasRegression(comparison)).toBe(false);
  });

  it('labels every change between different workloads a workload change, and judges none', () => {
    const current = loadResult('worse');
    current.scenario = { ...current.scenario, duration: 60_000 };
    const comparison = compareResults({ name: 'a', result: loadResult('baseline') }, { name: 'b', result: current }, { tolerance: 0.1 });
    expect(comparison.workloadChanged).toBe(true);
    expect(verdicts(comparison, 'worse')).toEqual([]);
    expect(verdicts(comparison, 'workload-change').length).toBeGreaterThan(0);
    expect(hasRegression(comparison)).toBe(false);
    expect(headline(comparison)).toMatch(/^\d+ changes from the workload/);
  });

  it('a figure measured on one side only is listed with its side', () => {
    const current = loadResult('baseline');
    const sse = current.transports.find((t) => t.transport === 'sse')!;
    sse.server = { cpuMs: null, rssPeakBytes: null, elu: null };
    const comparison = compareResults({ name: 'a', result: loadResult('baseline') }, { name: 'b', result: current }, { tolerance: 0.1 });
    expect(verdicts(comparison, 'baseline-only')).toEqual([
      'sse server.cpuMs',
      'sse server.rssPeakBytes',
      'sse server.cpuMsPerDelivery',
      'sse server.rssPerClient',
      'sse server.elu',
    ]);
    expect(hasRegression(comparison)).toBe(false);
  });

  it('leaves out figures neither side measured', () => {
    const comparison = comparePair('baseline', 'baseline');
    const websocket = comparison.figures.filter((row) => row.transport === 'websocket').map((row) => row.figure.id);
    expect(websocket).not.toContain('latency.p99');
    expect(websocket).toContain('frames.down');
    expect(comparison.figures.filter((row) => row.transport === 'polling').map((row) => row.figure.id)).not.toContain('frames.down');
  });
});

describe('setup changes', () => {
  it('names the workload values and machine facts that differ; a new name, description or threshold is not a new workload', () => {
    const current = loadResult('baseline');
    current.scenario = {
      ...current.scenario,
      duration: '3s',
      clients: { count: 1000, rampUp: '2s' },
      name: 'renamed',
      description: 'new words',
      thresholds: [],
    };
    current.environment = { ...current.environment, node: 'v22.1.0' };
    expect(setupChanges(loadResult('baseline'), current)).toEqual([
      'The workloads differ (duration "30s" → "3s"; clients.count 500 → 1000): every change below is labelled a workload change, not judged better or worse.',
      'The runs had different machines or Node versions (node v20.20.0 → v22.1.0): expect differences from that alone.',
    ]);
  });

  it('says when a side did not finish', () => {
    const current = loadResult('baseline');
    delete current.finishedAt;
    expect(setupChanges(loadResult('baseline'), current)).toEqual([
      'INCOMPLETE: the current result did not finish (interrupted or failed); its figures cover what it measured.',
    ]);
  });

  it('says when only one side has repeats, so no test was run', () => {
    expect(setupChanges(loadResult('repeats-baseline'), loadResult('baseline'))).toEqual([
      "Only the baseline has repeats (5): Welch's t-test needs repeats on both sides, so the tolerance alone decides.",
    ]);
  });
});
