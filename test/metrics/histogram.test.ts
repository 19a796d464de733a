import { describe, expect, it } from 'vitest';
import { EMPTY_SUMMARY, LATENCY_RANGE, LatencyHistogram, mergeCountsAndHistograms, mergeEncoded, summarizeEncoded } from '../../src/metrics/histogram.js';

/** Deterministic pseudo-random latencies in ns, 10 µs .. ~2 s, with a long tail. */
function latencies(count: number, seed = 7): number[] {
  let state = seed;
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const uniform = state / 2 ** 31;
    values.push(Math.round(10_000 + 1e6 * (-Math.log(1 - uniform)) ** 3));
  }
  return values;
}

describe('LatencyHistogram', () => {
  it('reports ms: 1, 2 and 3 ms recorded as ns', () => {
    const histogram = new LatencyHistogram();
    for (const ns of [1_000_000n, 2_000_000, 3_000_000n]) histogram.record(ns);
    const summary = histogram.summary();
    expect(summary.count).toBe(3);
    expect(summary.p50).toBeCloseTo(2, 2);
    expect(summary.min).toBeCloseTo(1, 2);
    expect(summary.max).toBeCloseTo(3, 2);
    expect(summary.mean).toBeCloseTo(2, 2);
  });

  it('summarises an empty histogram as count 0 and nulls', () => {
    expect(new LatencyHistogram().summary()).toEqual(EMPTY_SUMMARY);
    expect(summarizeEncoded(new LatencyHistogram().encode())).toEqual(EMPTY_SUMMARY);
  });

  it('keeps values within 0.1 % (3 significant digits)', () => {
    const histogram = new LatencyHistogram();
    histogram.record(123_456_789);
    const max = histogram.summary().max ?? 0;
    expect(Math.abs(max - 123.456789) / 123.456789).toBeLessThan(0.001);
  });

  it('clamps negative and over-range values and counts them', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-5n);
    histogram.record(LATENCY_RANGE.highestTrackableNs * 2);
    expect(histogram.count).toBe(2);
    expect(histogram.clampedCount).toBe(2);
    expect(histogram.summary().min).toBe(0);
    expect(histogram.summary().max).toBeGreaterThanOrEqual(3_600_000 * 0.999);
  });

  it('merges two encoded halves exactly: same count and percentiles as one histogram', () => {
    const whole = new LatencyHistogram();
    const first = new LatencyHistogram();
    const second = new LatencyHistogram();
    latencies(20_000).forEach((ns, i) => {
      whole.record(ns);
      (i % 3 === 0 ? first : second).record(ns);
    });
    const merged = LatencyHistogram.decode(mergeEncoded(first.encode(), second.encode()));
    expect(merged.summary()).toEqual(whole.summary());
    expect(merged.count).toBe(20_000);
  });

  it('round-trips through its encoding', () => {
    const histogram = new LatencyHistogram();
    for (const ns of latencies(1_000)) histogram.record(ns);
    expect(LatencyHistogram.decode(histogram.encode()).summary()).toEqual(histogram.summary());
  });

  it('add() of a live histogram equals merge of encodings', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    latencies(500, 1).forEach((ns) => a.record(ns));
    latencies(500, 2).forEach((ns) => b.record(ns));
    const viaEncoding = summarizeEncoded(mergeEncoded(a.encode(), b.encode()));
    a.add(b);
    expect(a.summary()).toEqual(viaEncoding);
  });
});

describe('mergeCountsAndHistograms', () => {
  it('adds counts and histograms field by field, as one process seeing every client would have reported', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(1_000_000n);
    b.record(3_000_000n);
    b.record(5_000_000n);
    const merged = mergeCountsAndHistograms({ events: 1, latency: a.encode() }, { events: 2, latency: b.encode() });
    expect(merged.events).toBe(3);
    const summary = summarizeEncoded(merged.latency);
    expect(summary.count).toBe(3);
    expect(summary.max).toBeCloseTo(5, 1);
  });
});

describe('LatencyHistogram buckets and reset', () => {
  it('lists every non-empty bucket in order, counts adding up, upper edges within 0.1 %, also after a round trip', () => {
    const histogram = new LatencyHistogram();
    for (const ns of [1e6, 1e6, 2e6, 5e6, 5e9]) histogram.record(ns);
    const buckets = LatencyHistogram.decode(histogram.encode()).buckets();
    expect(buckets.map((bucket) => bucket.count)).toEqual([2, 1, 1, 1]);
    [1, 2, 5, 5_000].forEach((ms, index) => {
      const ratio = buckets[index]!.upToMs / ms;
      expect(ratio).toBeGreaterThanOrEqual(1);
      expect(ratio).toBeLessThan(1.001);
    });
  });

  it('forgets everything on reset', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-1);
    histogram.reset();
    expect([histogram.count, histogram.clampedCount, histogram.buckets().length]).toEqual([0, 0, 0]);
  });
});
