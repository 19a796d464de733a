import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryTracker, type DeliveryWindow } from '../../src/metrics/deliveries.js';

const MS = 1_000_000n;
/** Window 1 s .. 2 s of intended time. */
const WINDOW: DeliveryWindow = { startNs: 1_000n * MS, endNs: 2_000n * MS };
/** Event `seq` of a client is intended at 1 s + seq ms (inside the window for seq < 1000). */
const intendedAt = (seq: number): bigint => WINDOW.startNs + BigInt(seq) * MS;

function deliver(tracker: DeliveryTracker, client: number, seq: number, latencyMs = 5n, bytes = 100) {
  const intended = intendedAt(seq);
  return tracker.recordEvent(client, seq, intended, intended + latencyMs * MS, bytes);
}

describe('DeliveryTracker', () => {
  it('counts in-order deliveries, bytes and latency', () => {
    const tracker = new DeliveryTracker(1, WINDOW);
    for (let seq = 1; seq <= 3; seq++) expect(deliver(tracker, 0, seq)).toBe('in-order');
    expect(tracker.counts()).toEqual({ delivered: 3, duplicated: 0, reordered: 0, gapReported: 0, payloadBytes: 300 });
    expect(tracker.latency.summary().p50).toBeCloseTo(5, 2);
  });

  it('tells a duplicate from a late first arrival', () => {
    const tracker = new DeliveryTracker(1, WINDOW);
    deliver(tracker, 0, 1);
    deliver(tracker, 0, 3); // 2 is a hole
    expect(deliver(tracker, 0, 3)).toBe('duplicate');
    expect(deliver(tracker, 0, 2)).toBe('late');
    expect(deliver(tracker, 0, 2)).toBe('duplicate');
    expect(deliver(tracker, 0, 1)).toBe('duplicate');
    expect(tracker.counts()).toMatchObject({ delivered: 3, duplicated: 3, reordered: 1, payloadBytes: 300 });
    expect(tracker.latency.count).toBe(3); // first sightings only
    expect(tracker.holeRangeCount()).toBe(0);
  });

  it('leaves never-arriving seqs as holes, counted as not delivered', () => {
    const tracker = new DeliveryTracker(1, WINDOW);
    deliver(tracker, 0, 1);
    deliver(tracker, 0, 100);
    expect(tracker.counts().delivered).toBe(2);
    expect(tracker.holeRangeCount()).toBe(1);
  });

  it('counts gap markers once per seq, even when repeated', () => {
    const tracker = new DeliveryTracker(2, WINDOW);
    tracker.recordGap(0, 3, 7);
    tracker.recordGap(0, 3, 7);
    tracker.recordGap(0, 5, 9);
    tracker.recordGap(1, 1, 1);
    expect(tracker.counts().gapReported).toBe(7 + 1);
  });

  it('windows by intended time: warm-up and after-end events are not counted', () => {
    const tracker = new DeliveryTracker(1, WINDOW);
    const before = WINDOW.startNs - 1n;
    tracker.recordEvent(0, 1, before, before + 10_000n * MS, 100); // arrives late, but warm-up
    tracker.recordEvent(0, 2, WINDOW.startNs, WINDOW.startNs + MS, 100); // first counted
    tracker.recordEvent(0, 3, WINDOW.endNs - 1n, WINDOW.endNs + MS, 100); // last counted
    tracker.recordEvent(0, 4, WINDOW.endNs, WINDOW.endNs + MS, 100); // drain
    tracker.recordEvent(0, 1, before, before, 100); // duplicate of a warm-up event
    expect(tracker.counts()).toMatchObject({ delivered: 2, duplicated: 0, payloadBytes: 200 });
    expect(tracker.latency.count).toBe(2);
  });

  it('keeps clients independent', () => {
    const tracker = new DeliveryTracker(3, WINDOW);
    deliver(tracker, 0, 1);
    expect(deliver(tracker, 1, 1)).toBe('in-order');
    deliver(tracker, 2, 2);
    expect(deliver(tracker, 0, 2)).toBe('in-order');
    expect(deliver(tracker, 2, 1)).toBe('late');
    expect(tracker.counts()).toMatchObject({ delivered: 5, duplicated: 0, reordered: 1 });
  });

  it('rejects a bad client index or seq', () => {
    const tracker = new DeliveryTracker(2, WINDOW);
    expect(() => deliver(tracker, 2, 1)).toThrow(RangeError);
    expect(() => deliver(tracker, -1, 1)).toThrow(RangeError);
    expect(() => deliver(tracker, 0, 0)).toThrow(RangeError);
    expect(() => deliver(tracker, 0, 1.5)).toThrow(RangeError);
  });

  it('property: any shuffled, duplicated stream gives delivered = unique in-window, duplicated = extra copies', () => {
    const arrival = fc.record({ client: fc.nat(3), seq: fc.integer({ min: 1, max: 40 }) });
    const streams = fc.array(arrival, { maxLength: 300 });
    // Seqs 1..5 are warm-up and 36..40 after the window: intended time follows seq.
    const intendedOf = (seq: number): bigint => (seq <= 5 ? WINDOW.startNs - BigInt(6 - seq) : seq >= 36 ? WINDOW.endNs + BigInt(seq) : intendedAt(seq));
    fc.assert(
      fc.property(streams, (arrivals) => {
        const tracker = new DeliveryTracker(4, WINDOW);
        for (const { client, seq } of arrivals) {
          const intended = intendedOf(seq);
          tracker.recordEvent(client, seq, intended, intended + MS, 10);
        }
        const inWindow = arrivals.filter(({ seq }) => seq > 5 && seq < 36);
        const unique = new Set(inWindow.map(({ client, seq }) => `${client}:${seq}`)).size;
        const counts = tracker.counts();
        expect(counts.delivered).toBe(unique);
        expect(counts.duplicated).toBe(inWindow.length - unique);
        expect(counts.payloadBytes).toBe(unique * 10);
        expect(tracker.latency.count).toBe(unique);
        expect(counts.reordered).toBe(expectedReorders(arrivals, (seq) => seq > 5 && seq < 36));
      }),
    );
  });
});

/** Reference model with full memory: first sightings below the client's running maximum. */
function expectedReorders(arrivals: { client: number; seq: number }[], counted: (seq: number) => boolean): number {
  const seen = new Set<string>();
  const highest = new Map<number, number>();
  let reordered = 0;
  for (const { client, seq } of arrivals) {
    const key = `${client}:${seq}`;
    const max = highest.get(client) ?? 0;
    if (!seen.has(key) && seq < max && counted(seq)) reordered++;
    seen.add(key);
    highest.set(client, Math.max(max, seq));
  }
  return reordered;
}
