import { describe, expect, it } from 'vitest';
import { newProcessUsage, newRequestCounts, newWireBytes } from '../../src/metrics/counters.js';
import { DeliveryTracker } from '../../src/metrics/deliveries.js';
import { LatencyHistogram, summarizeEncoded } from '../../src/metrics/histogram.js';
import { emptySnapshot, mergeAllSnapshots, mergeSnapshots, snapshotOf, type ClientSnapshot } from '../../src/metrics/snapshot.js';

const MS = 1_000_000n;
const WINDOW = { startNs: 0n, endNs: 10_000n * MS };

/** A fake client process covering `clients` clients, fed a deterministic stream. */
function processSnapshot(clients: number[], elu: number): ClientSnapshot {
  const tracker = new DeliveryTracker(clients.length, WINDOW);
  const requests = newRequestCounts();
  const bytes = newWireBytes();
  const connect = new LatencyHistogram();
  clients.forEach((client, index) => {
    connect.record(BigInt(client + 1) * 100_000n);
    for (let seq = 1; seq <= 50; seq++) {
      if ((client + seq) % 7 === 0) continue; // a loss
      const intended = BigInt(seq) * 100n * MS;
      tracker.recordEvent(index, seq, intended, intended + BigInt((client * 13 + seq * 7) % 97) * MS, 200);
      if (seq % 10 === 0) tracker.recordEvent(index, seq, intended, intended + 99n * MS, 200);
      requests.total += 1;
      bytes.down += 300 + client;
      bytes.up += 120;
    }
    requests.empty += client % 3;
    requests.reconnects += client % 2;
  });
  bytes.phaseDown = bytes.down + 1000 * clients.length;
  bytes.phaseUp = bytes.up + 500 * clients.length;
  const usage = { ...newProcessUsage(), cpuMs: 100 * clients.length, rssPeakBytes: 50_000_000, elu, processes: 1 };
  return snapshotOf({ tracker, requests, bytes, connect, usage });
}

function comparable(snapshot: ClientSnapshot) {
  const { latency, connect, usage, ...counts } = snapshot;
  return { counts, latency: summarizeEncoded(latency), connect: summarizeEncoded(connect) };
}

describe('mergeSnapshots', () => {
  const all = Array.from({ length: 20 }, (_, i) => i);

  it('merging two halves equals the whole (counts and histograms)', () => {
    const whole = processSnapshot(all, 0.5);
    const merged = mergeSnapshots(processSnapshot(all.slice(0, 7), 0.5), processSnapshot(all.slice(7), 0.3));
    expect(comparable(merged)).toEqual(comparable(whole));
  });

  it('combines process usage: CPU and RSS add, ELU is the worst process, processes count', () => {
    const merged = mergeSnapshots(processSnapshot([0, 1], 0.2), processSnapshot([2], 0.7));
    expect(merged.usage).toEqual({ cpuMs: 300, rssPeakBytes: 100_000_000, elu: 0.7, processes: 2 });
  });

  it('has the empty snapshot as identity and is commutative', () => {
    const a = processSnapshot([1, 2, 3], 0.1);
    const b = processSnapshot([4, 5], 0.2);
    expect(comparable(mergeSnapshots(emptySnapshot(), a))).toEqual(comparable(a));
    expect(comparable(mergeSnapshots(a, b))).toEqual(comparable(mergeSnapshots(b, a)));
    expect(mergeAllSnapshots([])).toEqual(emptySnapshot());
  });

  it('survives a JSON round trip (the IPC path)', () => {
    const snapshot = processSnapshot([0, 1, 2], 0.4);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});
