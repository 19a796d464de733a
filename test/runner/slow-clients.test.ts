import { describe, expect, it } from 'vitest';
import { summarizeEncoded } from '../../src/metrics/histogram.js';
import { SlowAccount, mergeSlowSnapshots, slowClientSet } from '../../src/runner/slow-clients.js';

const MS = 1_000_000n;

describe('slowClientSet', () => {
  it('takes round(share × count) clients, at least one, the same ones for the same seed', () => {
    expect(slowClientSet(1, 100, 0.1).size).toBe(10);
    expect(slowClientSet(1, 100, 0.001).size).toBe(1);
    expect(slowClientSet(7, 100, 0.1)).toEqual(slowClientSet(7, 100, 0.1));
    expect(slowClientSet(7, 100, 0.1)).not.toEqual(slowClientSet(8, 100, 0.1));
    expect([...slowClientSet(1, 5, 1)].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const index of slowClientSet(3, 1_000, 0.5)) expect(index >= 0 && index < 1_000).toBe(true);
  });
});

describe('SlowAccount', () => {
  it("counts the slow clients' in-window first sightings and sorts latencies into theirs and the others'", () => {
    const account = new SlowAccount(new Set([1]));
    account.record(1, 'in-order', true, 2_000n * MS);
    account.record(1, 'late', true, 3_000n * MS);
    account.record(1, 'duplicate', true, 9_000n * MS); // a copy: not a delivery
    account.record(1, 'in-order', false, 9_000n * MS); // warm-up or drain: not counted
    account.record(0, 'in-order', true, 2n * MS);
    const snapshot = account.snapshot();
    expect(snapshot).toMatchObject({ clients: 1, delivered: 2 });
    expect(summarizeEncoded(snapshot.latency).count).toBe(2);
    expect(summarizeEncoded(snapshot.latency).max).toBeGreaterThan(2_900);
    expect(summarizeEncoded(snapshot.othersLatency)).toMatchObject({ count: 1 });
    expect(summarizeEncoded(snapshot.othersLatency).max).toBeLessThan(3);
  });

  it('merges the accounts of two processes exactly', () => {
    const a = new SlowAccount(new Set([0]));
    const b = new SlowAccount(new Set([0, 1]));
    a.record(0, 'in-order', true, 5n * MS);
    b.record(1, 'in-order', true, 7n * MS);
    b.record(2, 'in-order', true, 1n * MS);
    const merged = mergeSlowSnapshots(a.snapshot(), b.snapshot());
    expect(merged).toMatchObject({ clients: 3, delivered: 2 });
    expect(summarizeEncoded(merged.latency).count).toBe(2);
    expect(summarizeEncoded(merged.othersLatency).count).toBe(1);
  });
});
