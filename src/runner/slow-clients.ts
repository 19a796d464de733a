/**
 * Which clients fall behind (clients.slow of clients.consume), and what they and the others
 * saw. The choice is a pure function of the seed, so the publisher (which counts what each
 * slow client should get) and every client process (which slows its share down) agree on it
 * without being told a list.
 */
import type { Sighting } from '../metrics/deliveries.js';
import { LatencyHistogram, mergeCountsAndHistograms } from '../metrics/histogram.js';
import { slowClientCount } from '../scenario/scenario.js';
import type { ConsumeLimit } from '../transports/consume-gate.js';
import { sampleDistinct, seededRandom } from './random.js';

/** The scenario's slow clients: how they consume, and which share of the fleet they are. */
export interface SlowPlan {
  consume: ConsumeLimit;
  /** 0..1 */
  share: number;
}

/** Mixed into the seed so the slow set does not follow the schedule's own draws. */
const SLOW_SEED_SALT = 0x51_0c_11;

/**
 * Global indices of the slow clients: round(share × count), at least one. A seeded sample,
 * so they are scattered over the fleet and hence over the client processes (each holds a
 * contiguous range), not bunched in the first one.
 */
export function slowClientSet(seed: number, count: number, share: number): ReadonlySet<number> {
  const k = slowClientCount(count, share);
  if (k === count) return new Set(Array.from({ length: count }, (_, i) => i));
  return new Set(sampleDistinct(seededRandom((seed ^ SLOW_SEED_SALT) >>> 0), count, k));
}

/** What one client process saw, split into its slow clients and the others. Crosses IPC as JSON. */
export interface SlowSnapshot {
  /** Slow clients covered. Count. */
  clients: number;
  /** Unique in-window deliveries to slow clients. Count. */
  delivered: number;
  /** Latency of those deliveries (ns values), encoded histogram. */
  latency: string;
  /** Latency of in-window first sightings of the other clients (ns values), encoded histogram. */
  othersLatency: string;
}

/** Per client process: sorts each delivery into the slow clients' account or the others'. */
export class SlowAccount {
  private delivered = 0;
  private readonly latency = new LatencyHistogram();
  private readonly othersLatency = new LatencyHistogram();

  /** `slowLocal`: the process's local indices of its slow clients. */
  constructor(private readonly slowLocal: ReadonlySet<number>) {}

  isSlow(localIndex: number): boolean {
    return this.slowLocal.has(localIndex);
  }

  /** One arrival as the process's DeliveryTracker classified it; only in-window first sightings count. */
  record(localIndex: number, sighting: Sighting, inWindow: boolean, latencyNs: bigint): void {
    if (sighting === 'duplicate' || !inWindow) return;
    if (this.slowLocal.has(localIndex)) {
      this.delivered++;
      this.latency.record(latencyNs);
    } else {
      this.othersLatency.record(latencyNs);
    }
  }

  snapshot(): SlowSnapshot {
    return { clients: this.slowLocal.size, delivered: this.delivered, latency: this.latency.encode(), othersLatency: this.othersLatency.encode() };
  }
}

/** Merges the snapshots of disjoint sets of clients, exactly (counts add, histograms add). */
export const mergeSlowSnapshots: (a: SlowSnapshot, b: SlowSnapshot) => SlowSnapshot = mergeCountsAndHistograms;
