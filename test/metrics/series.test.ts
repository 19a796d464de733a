import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { SecondRecorder } from '../../src/metrics/second-recorder.js';
import { assembleSeries, phaseSpans, secondIndex, type ClientSecond, type PhaseSpan } from '../../src/metrics/series.js';
import { serverSeconds, type ServerReading } from '../../src/runner/server-sampler.js';

const MS = 1_000_000n;
const S = 1_000n * MS;

function encoded(...ms: number[]): string {
  const histogram = new LatencyHistogram();
  for (const value of ms) histogram.record(value * 1e6);
  return histogram.encode();
}

function part(s: number, latencyMs: number[], extra: Partial<ClientSecond> = {}): ClientSecond {
  return {
    s,
    deliveries: latencyMs.length,
    counted: latencyMs.length,
    latency: latencyMs.length > 0 ? encoded(...latencyMs) : '',
    requests: 0,
    bytesDown: 0,
    bytesUp: 0,
    failures: {},
    ...extra,
  };
}

const PHASES: PhaseSpan[] = [
  { name: 'connect', startMs: 0, endMs: 500 },
  { name: 'warm-up', startMs: 500, endMs: 1_500 },
  { name: 'measure', startMs: 1_500, endMs: 3_500 },
  { name: 'drain', startMs: 3_500, endMs: 4_200 },
];

describe('secondIndex', () => {
  it('counts whole seconds from the origin, and a time before it falls in the second before', () => {
    expect(secondIndex(10n * S, 10n * S)).toBe(0);
    expect(secondIndex(10n * S + 999n * MS, 10n * S)).toBe(0);
    expect(secondIndex(11n * S, 10n * S)).toBe(1);
    expect(secondIndex(10n * S - 1n, 10n * S)).toBe(-1);
  });
});

describe('assembleSeries', () => {
  it("merges the processes' histograms of a second into one: percentiles of the union, not averages", () => {
    // Process A saw 98 fast deliveries, process B 2 slow ones: the p99 is B's, which no average of percentiles gives.
    const a = part(
      2,
      Array.from({ length: 98 }, () => 1),
      { connected: 3, elu: 0.2 },
    );
    const b = part(2, [500, 500], { connected: 4, elu: 0.7 });
    const series = assembleSeries([a, b], [], PHASES);
    expect(series.deliveries[2]).toBe(100);
    expect(series.latencyP50Ms[2]).toBeCloseTo(1, 2);
    expect(series.latencyP99Ms[2]).toBeCloseTo(500, 0);
    expect(series.connected[2]).toBe(7);
    expect(series.clientEluMax[2]).toBe(0.7);
  });

  it('gives every second of the phase an entry: an empty second has 0 deliveries and null latency', () => {
    const series = assembleSeries([part(1, [2])], [], PHASES);
    expect(series.intervalMs).toBe(1_000);
    expect(series.deliveries).toEqual([0, 1, 0, 0, 0]);
    expect(series.latencyP50Ms.map((v) => (v === null ? null : Math.round(v)))).toEqual([null, 2, null, null, null]);
    expect(series.connected).toEqual([null, null, null, null, null]);
    expect(series.phases).toEqual(PHASES);
  });

  it('adds a late part of a second to it without counting its gauges twice', () => {
    const closing = part(1, [1], { connected: 5, elu: 0.1, requests: 10, bytesDown: 100, bytesUp: 20 });
    const late = part(1, [3], { counted: 0 });
    const series = assembleSeries([closing, late], [], PHASES);
    expect(series.deliveries[1]).toBe(2);
    expect(series.counted[1]).toBe(1);
    expect(series.connected[1]).toBe(5);
    expect(series.requests[1]).toBe(10);
    expect(series.latencyMaxMs[1]).toBeCloseTo(3, 2);
  });

  it('never drops a part: one past the phases lengthens the series, one before the origin joins second 0', () => {
    const series = assembleSeries([part(-1, [1]), part(7, [1])], [], PHASES);
    expect(series.deliveries).toHaveLength(8);
    expect(series.deliveries[0]).toBe(1);
    expect(series.deliveries[7]).toBe(1);
  });

  it('lays failures out per kind, only the kinds that occurred', () => {
    const series = assembleSeries([part(0, [], { failures: { request: 2 } }), part(3, [], { failures: { request: 1, disconnect: 4 } })], [], PHASES);
    expect(series.failures).toEqual({ disconnect: [0, 0, 0, 4, 0], request: [2, 0, 0, 1, 0] });
  });

  it("puts the server's seconds in place, null where it said nothing", () => {
    const series = assembleSeries([], [{ s: 1, cpuPct: 12.345, rssBytes: 1_000, elu: 0.12345 }], PHASES);
    expect(series.serverCpuPct).toEqual([null, 12.3, null, null, null]);
    expect(series.serverRssBytes).toEqual([null, 1_000, null, null, null]);
    expect(series.serverElu).toEqual([null, 0.123, null, null, null]);
  });
});

describe('phaseSpans', () => {
  it('makes each step last until the next begins, in ms from the origin', () => {
    const origin = 5n * S;
    const spans = phaseSpans(
      origin,
      [
        ['connect', origin],
        ['warm-up', origin + 800n * MS],
        ['measure', origin + 1_800n * MS],
      ],
      origin + 4_000n * MS,
    );
    expect(spans).toEqual([
      { name: 'connect', startMs: 0, endMs: 800 },
      { name: 'warm-up', startMs: 800, endMs: 1_800 },
      { name: 'measure', startMs: 1_800, endMs: 4_000 },
    ]);
  });
});

describe('SecondRecorder', () => {
  const origin = 100n * S;
  const totals = (requests: number) => ({ requests, bytesDown: requests * 10, bytesUp: requests });

  it('closes the seconds that ended, with the counters grown since the last close, and reuses its histogram', () => {
    const recorder = new SecondRecorder(origin);
    recorder.delivery(origin + 100n * MS, 2n * MS, false);
    recorder.delivery(origin + 900n * MS, 4n * MS, true);
    recorder.failure(origin + 950n * MS, 'request');
    const first = recorder.close(origin + S + MS, totals(3), { connected: 2, elu: 0.25 });
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      s: 0,
      deliveries: 2,
      counted: 1,
      requests: 3,
      bytesDown: 30,
      bytesUp: 3,
      connected: 2,
      elu: 0.25,
      failures: { request: 1 },
    });
    expect(LatencyHistogram.decode(first[0]!.latency).summary().max).toBeCloseTo(4, 2);

    // A second with nothing in it still ships its counters and gauges.
    const second = recorder.close(origin + 2n * S + MS, totals(5), { connected: 2, elu: 0.1 });
    expect(second).toEqual([{ s: 1, deliveries: 0, counted: 0, latency: '', requests: 2, bytesDown: 20, bytesUp: 2, failures: {}, connected: 2, elu: 0.1 }]);
  });

  it('ships an event stamped in a second that already closed as a further part of that second', () => {
    const recorder = new SecondRecorder(origin);
    recorder.close(origin + S + MS, totals(0), { connected: 1, elu: 0 });
    recorder.delivery(origin + 999n * MS, 1n * MS, true);
    const parts = recorder.close(origin + 2n * S + MS, totals(0), { connected: 1, elu: 0 });
    expect(parts.map((p) => [p.s, p.deliveries, p.connected])).toEqual([
      [0, 1, undefined],
      [1, 0, 1],
    ]);
  });

  it('closes the current second too at the end', () => {
    const recorder = new SecondRecorder(origin);
    recorder.delivery(origin + 2_500n * MS, 1n * MS, true);
    const parts = recorder.close(origin + 2_600n * MS, totals(1), { connected: 1, elu: 0 }, true);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ s: 2, deliveries: 1, requests: 1, connected: 1 });
  });

  it('assembles, over several processes and closes, to as many deliveries as were recorded', () => {
    const parts: ClientSecond[] = [];
    for (let process = 0; process < 3; process++) {
      const recorder = new SecondRecorder(origin);
      for (let i = 0; i < 50; i++) recorder.delivery(origin + BigInt(i * 97) * MS, BigInt(i + 1) * MS, i % 2 === 0);
      parts.push(...recorder.close(origin + 2n * S, totals(0), { connected: 1, elu: 0 }));
      parts.push(...recorder.close(origin + 6n * S, totals(0), { connected: 1, elu: 0 }, true));
    }
    const series = assembleSeries(parts, [], []);
    expect(series.deliveries.reduce((a, b) => a + b, 0)).toBe(150);
    expect(series.counted.reduce((a, b) => a + b, 0)).toBe(75);
  });
});

describe('serverSeconds', () => {
  const origin = 0n;
  const reading = (atS: number, sinceResetMs: number, cpuMs: number, activeMs: number): ServerReading => ({
    atNs: BigInt(atS * 1e3) * MS,
    sinceResetMs,
    cpuMs,
    rssBytes: atS * 1_000,
    eluActiveMs: activeMs,
    eluIdleMs: sinceResetMs - activeMs,
  });

  it('takes CPU and ELU between readings, and across a counter reset from the reset on', () => {
    const seconds = serverSeconds([reading(0.5, 500, 50, 100), reading(1.5, 1_500, 250, 300), reading(2.5, 400, 100, 200)], origin);
    expect(seconds).toEqual([
      { s: 1, cpuPct: 20, rssBytes: 1_500, elu: 0.2 },
      { s: 2, cpuPct: 25, rssBytes: 2_500, elu: 0.5 },
    ]);
  });
});
