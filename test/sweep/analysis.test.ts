import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/report/model.js';
import { parseThreshold } from '../../src/scenario/thresholds.js';
import { analyseSweep } from '../../src/sweep/analysis.js';
import type { Budget } from '../../src/scenario/budget.js';
import { serialize } from '../../src/sweep/markdown.js';
import type { Sweep } from '../../src/sweep/model.js';
import { figureById } from '../../src/figures/catalog.js';
import { loadFixture } from '../report/fixture.js';

const RATES = ['1/m', '6/m', '1/s', '10/s'];
const PER_S = [1 / 60, 0.1, 1, 10];

/** Polling's bytes per delivery fall as events get denser (empty polls are shared by more events); SSE's stay flat. */
function pointResult(perS: number, jitter = 0): Result {
  const fixture = loadFixture();
  const polling = structuredClone(fixture.transports.find((t) => t.transport === 'polling')!);
  const sse = structuredClone(fixture.transports.find((t) => t.transport === 'sse')!);
  polling.bytes.perDelivery = 200 / perS + jitter;
  sse.bytes.perDelivery = 400 - jitter;
  polling.latencyMs.p99 = 2500;
  sse.latencyMs.p99 = 5;
  return { ...fixture, transports: [polling, sse] };
}

function sweepOf(results: Result[]): Sweep {
  return {
    schemaVersion: 1,
    kind: 'push-bench-sweep',
    tool: { name: 'push-bench', version: '0' },
    scenarioFile: 's.yaml',
    fingerprint: 'x',
    sets: [],
    vary: [{ path: 'events.rate', values: RATES }],
    repeat: 1,
    startedAt: '2026-11-28T00:00:00.000Z',
    points: results.map((result, index) => ({ index, key: `events.rate=${RATES[index]}`, values: [RATES[index]!], status: 'done', result })),
  };
}

describe('analysing a sweep', () => {
  const sweep = sweepOf(PER_S.map((perS) => pointResult(perS)));

  it('finds where polling starts costing fewer bytes per delivery than SSE, on a log axis', () => {
    const analysis = analyseSweep(sweep);
    expect(analysis.axis).toMatchObject({ unit: 'events/s', scale: 'log' });
    const bytes = analysis.lines[0]!.figures.find((f) => f.figure.id === 'bytes.perDelivery')!;
    expect(bytes.crossings).toHaveLength(1);
    const crossing = bytes.crossings[0]!;
    expect(crossing).toMatchObject({ a: 'polling', b: 'sse', lowerBefore: 'b', from: 0.1, to: 1 });
    // 200/x = 400 at x = 0.5; the log interpolation between 0.1 (d = 1600) and 1 (d = -200) lands near it.
    expect(crossing.at).toBeGreaterThan(0.3);
    expect(crossing.at).toBeLessThan(1);
  });

  it('recommends the cheapest in budget at each point: polling meets no 2 s p99 budget', () => {
    const limit = parseThreshold('sse.latency.p99 < 2s');
    if (!limit.ok) throw new Error(limit.message);
    const budget: Budget = { limit: limit.threshold, minimise: figureById('bytes.perDelivery') };
    const { recommendations } = analyseSweep(sweep, budget).lines[0]!;
    expect(recommendations?.map((r) => [r.x, r.recommendation.kind, r.recommendation.kind === 'winner' ? r.recommendation.name : ''])).toEqual([
      ['1/m', 'winner', 'sse'],
      ['6/m', 'winner', 'sse'],
      ['1/s', 'winner', 'sse'],
      ['10/s', 'winner', 'sse'],
    ]);
  });

  it('the Markdown says the crossing in words and tables every figure', () => {
    const text = serialize(analyseSweep(sweep), 'notifications');
    expect(text).toContain('# push-bench sweep: notifications over events.rate (1/m, 6/m, 1/s, 10/s)');
    expect(text).toMatch(/- Crossing: bytes per delivery: sse is lower below ~[0-9.]+\/s, polling above \(between the points 0\.1\/s and 1\/s\)/);
    expect(text).toContain('| events.rate | polling | sse |');
  });

  it('single runs: no crossing is looked for in a figure that moves between runs, and no choice is made by it', () => {
    const crossingLatency = sweepOf(
      PER_S.map((perS) => ({
        ...pointResult(perS),
        transports: pointResult(perS).transports.map((t, i) => ({ ...t, latencyMs: { ...t.latencyMs, p99: i === 0 ? 10 * perS : 5 } })),
      })),
    );
    const latency = analyseSweep(crossingLatency).lines[0]!.figures.find((f) => f.figure.id === 'latency.p99')!;
    expect(latency).toMatchObject({ needsRepeats: true, crossings: [] });
    expect(serialize(analyseSweep(crossingLatency), 's')).toContain(
      'Not looked for in latency p50 (ms), latency p99 (ms), server CPU per delivery (ms), server peak RSS per client',
    );
    const limit = parseThreshold('sse.latency.p99 < 1h');
    if (!limit.ok) throw new Error(limit.message);
    const { recommendations } = analyseSweep(crossingLatency, { limit: limit.threshold, minimise: figureById('server.cpuMs') }).lines[0]!;
    expect(recommendations?.[0]?.recommendation).toMatchObject({ kind: 'none', reason: expect.stringContaining('--repeat 3') as string });
    // With repeats, the same medians do cross.
    const repeated = { ...crossingLatency, repeat: 3 };
    expect(analyseSweep(repeated).lines[0]!.figures.find((f) => f.figure.id === 'latency.p99')!.crossings).toHaveLength(1);
  });

  it('a point a transport lacks is a gap, not a zero', () => {
    const withGap = sweepOf(
      PER_S.map((perS, i) => (i === 2 ? { ...pointResult(perS), transports: pointResult(perS).transports.slice(0, 1) } : pointResult(perS))),
    );
    const bytes = analyseSweep(withGap).lines[0]!.figures.find((f) => f.figure.id === 'bytes.perDelivery')!;
    expect(bytes.series[1]!.points[2]!.y).toBeNull();
    expect(serialize(analyseSweep(withGap), 's')).toContain('| 1/s | 200 B | — |');
  });
});
