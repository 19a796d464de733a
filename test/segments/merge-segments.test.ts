/**
 * push-bench merge on made-up parts: exact sums and bucket-sums whatever the split, and the
 * refusals of parts that do not make one run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, summarizeEncoded } from '../../src/metrics/histogram.js';
import { emptySnapshot, type ClientSnapshot } from '../../src/metrics/snapshot.js';
import type { Result, SegmentTransport } from '../../src/report/model.js';
import { mergeSegments, type NamedPart } from '../../src/report/merge-segments.js';
import { buildTransportResult } from '../../src/report/transport-result.js';
import { loadFixture } from '../report/fixture.js';

const encode = (valuesMs: readonly number[]) => {
  const histogram = new LatencyHistogram();
  for (const ms of valuesMs) histogram.record(BigInt(Math.round(ms * 1e6)));
  return histogram.encode();
};

/** One segment's part: `latenciesMs` delivered of `expected`, `requests` requests. */
function part(index: number, count: number, firstClient: number, clients: number, latenciesMs: number[], expected: number, requests: number): NamedPart {
  const snapshot: ClientSnapshot = {
    ...emptySnapshot(),
    clients,
    deliveries: { delivered: latenciesMs.length, duplicated: 0, reordered: 0, gapReported: 0, payloadBytes: latenciesMs.length * 10 },
    requests: { ...emptySnapshot().requests, total: requests },
    bytes: { up: requests * 100, down: latenciesMs.length * 50, phaseUp: 0, phaseDown: 0 },
    latency: encode(latenciesMs),
  };
  const raw: SegmentTransport = {
    transport: 'sse',
    framed: false,
    durationMs: 1_000,
    scheduled: { published: 7, expected: 100 },
    published: 5,
    expected,
    clients: snapshot as unknown as SegmentTransport['clients'],
    publishLagHistogram: encode([1]),
    expectedFigures: null,
    runnerWarnings: [],
  };
  const base = loadFixture();
  const transport = buildTransportResult({
    transport: 'sse',
    framed: false,
    durationMs: 1_000,
    published: 5,
    expected,
    clients: snapshot,
    publishLagMs: summarizeEncoded(raw.publishLagHistogram),
    server: { cpuMs: index === 1 ? null : 5, rssPeakBytes: null, elu: null },
  });
  const result: Result = {
    ...base,
    runId: 'run-1',
    transports: [transport],
    warnings: [],
    segment: {
      index,
      count,
      firstClient,
      clients,
      fleetClients: 40,
      startAt: '2026-11-29T12:00:00.000Z',
      clock: { reference: 'http://s/clock', offsetMs: 0, uncertaintyMs: 0.1 * index, samples: 32 },
      transports: [raw],
    },
  };
  return { file: `part${index}.json`, result };
}

const four = () => [
  part(1, 4, 0, 10, [1, 2], 25, 3),
  part(2, 4, 10, 10, [3, 4, 5], 25, 4),
  part(3, 4, 20, 10, [6], 25, 5),
  part(4, 4, 30, 10, [7, 8, 9, 10], 25, 6),
];

describe('mergeSegments', () => {
  it('sums counts, merges histograms bucket by bucket and derives every ratio again', () => {
    const merged = mergeSegments(four().reverse());
    const [sse] = merged.transports;
    expect(sse!.clients).toBe(40);
    expect(sse!.events).toMatchObject({ published: 7, expected: 100, delivered: 10, lost: 90 });
    expect(sse!.requests.total).toBe(18);
    expect(sse!.requests.perDelivery).toBeCloseTo(1.8, 12);
    expect(sse!.latencyMs).toEqual(summarizeEncoded(encode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
    expect(sse!.publishLagMs.count).toBe(4);
    expect(merged.segments).toMatchObject({ serverFiguresFrom: 2, clockUncertaintyMs: 0.4 });
    expect(sse!.server.cpuMs).toBe(5);
    expect(merged.segment).toBeUndefined();
    expect(sse!.warnings.map((w) => w.code)).toContain('events-lost');
  });

  it('gives the percentiles of the whole, whatever the split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 5_000, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (values, fractions) => {
          const cuts = [0, ...fractions.map((f) => Math.floor(f * values.length)).sort((a, b) => a - b), values.length];
          const parts = [0, 1, 2, 3].map((i) => part(i + 1, 4, i * 10, 10, values.slice(cuts[i], cuts[i + 1]), 25, 1));
          expect(mergeSegments(parts).transports[0]!.latencyMs).toEqual(summarizeEncoded(encode(values)));
        },
      ),
      { numRuns: 30 },
    );
  });

  it.each([
    ['a part of another segment count', () => [...four().slice(0, 3), part(4, 5, 30, 10, [], 25, 1)], 'part4.json is segment 4/5, but part1.json is one of 4'],
    ['a segment twice', () => [...four(), four()[1]!], 'part2.json is segment 2/4 again'],
    ['a missing segment', () => four().slice(1), 'segment 1/4 missing'],
    ['clients that do not add up', () => [...four().slice(0, 3), part(4, 4, 31, 9, [], 25, 1)], 'part4.json: segment 4 starts at client 31, expected 30'],
    [
      'a part of another run',
      () => {
        const parts = four();
        parts[2]!.result.runId = 'run-2';
        return parts;
      },
      'part3.json is from another run than part1.json',
    ],
    [
      'a part that measured nothing',
      () => {
        const parts = four();
        parts[3]!.result.segment!.transports = [];
        parts[3]!.result.warnings = [{ code: 'run-failed', message: 'the run failed: too late' }];
        return parts;
      },
      'part4.json (segment 4/4) measured nothing: the run failed: too late',
    ],
  ])('refuses %s, naming the file', (_what, parts, message) => {
    expect(() => mergeSegments(parts())).toThrow(message);
  });
});
