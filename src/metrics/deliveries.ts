import { LatencyHistogram } from './histogram.js';
import { SeqHoles } from './holes.js';

/**
 * The measured window, as **intended** publish times in ns (CLOCK_MONOTONIC,
 * `process.hrtime.bigint()`): `[startNs, endNs)`. An event intended before `startNs` belongs
 * to the warm-up, one intended at or after `endNs` to the drain; neither is counted. Using
 * the intended time (not the arrival time) means a slow transport cannot push its own late
 * deliveries out of the window and look better.
 */
export interface DeliveryWindow {
  /** First intended time counted, ns (inclusive). */
  startNs: bigint;
  /** First intended time no longer counted, ns (exclusive). */
  endNs: bigint;
}

/** What a client saw of its events in the window. All values are counts of events unless noted. */
export interface DeliveryCounts {
  /** Unique in-window events seen (first sightings). */
  delivered: number;
  /** Extra copies of in-window events (a (client, seq) seen again; n copies count n − 1). */
  duplicated: number;
  /** In-window events seen for the first time after a higher seq of the same client. */
  reordered: number;
  /**
   * Seqs the server declared lost with a gap marker. Not windowed: the intended time of an
   * event that never came is unknown. Each seq is counted once per client even if the
   * server repeats the marker.
   */
  gapReported: number;
  /** Payload bytes of the delivered (first-sighting, in-window) events, bytes. */
  payloadBytes: number;
}

/** How an event's arrival was classified. */
export type Sighting = 'in-order' | 'late' | 'duplicate';

/**
 * Per-client delivery accounting for one client process.
 *
 * Per client it keeps the highest seq seen and the holes below it (see `SeqHoles`), so
 * memory is O(clients + outstanding holes), not O(events), and "late first arrival" versus
 * "duplicate" is exact. Per event it does a few comparisons and, only for in-window first
 * sightings, one bigint subtraction and a histogram record: no other allocation.
 */
export class DeliveryTracker {
  /** Delivery latency (received − intended) of in-window first sightings, ns in, ms out. */
  readonly latency: LatencyHistogram;
  private readonly window: DeliveryWindow;
  /** Highest seq seen per client (0: none yet). Float64 keeps seqs exact up to 2^53. */
  private readonly highestSeq: Float64Array;
  /** Highest seq per client already counted in `gapReported` (dedupes repeated markers). */
  private readonly gapReportedThrough: Float64Array;
  /** Holes per client, created on the first hole only: most clients never have one. */
  private readonly holes: (SeqHoles | undefined)[];
  private readonly totals: DeliveryCounts = {
    delivered: 0,
    duplicated: 0,
    reordered: 0,
    gapReported: 0,
    payloadBytes: 0,
  };

  constructor(clientCount: number, window: DeliveryWindow, latency = new LatencyHistogram()) {
    if (!Number.isInteger(clientCount) || clientCount < 0) {
      throw new RangeError(`clientCount must be a non-negative integer, got ${clientCount}`);
    }
    this.window = window;
    this.latency = latency;
    this.highestSeq = new Float64Array(clientCount);
    this.gapReportedThrough = new Float64Array(clientCount);
    this.holes = new Array<SeqHoles | undefined>(clientCount).fill(undefined);
  }

  /**
   * Records one event arrival.
   * @param clientIndex 0-based index of the client in this tracker.
   * @param seq the event's per-client sequence number (1-based integer).
   * @param intendedNs the event's intended publish time, ns.
   * @param receivedNs when the client saw the event, ns (same clock).
   * @param payloadBytes the event's payload size, bytes.
   */
  recordEvent(clientIndex: number, seq: number, intendedNs: bigint, receivedNs: bigint, payloadBytes: number): Sighting {
    this.checkClient(clientIndex);
    if (!(Number.isInteger(seq) && seq >= 1)) {
      throw new RangeError(`seq must be an integer >= 1, got ${seq}`);
    }
    const sighting = this.classify(clientIndex, seq);
    if (this.inWindow(intendedNs)) {
      this.count(sighting, intendedNs, receivedNs, payloadBytes);
    }
    return sighting;
  }

  /** Whether an event intended at this time is counted (the window is `[startNs, endNs)`). */
  inWindow(intendedNs: bigint): boolean {
    return intendedNs >= this.window.startNs && intendedNs < this.window.endNs;
  }

  /** Records a server gap marker: seqs `from..to` (inclusive) will never be delivered. */
  recordGap(clientIndex: number, from: number, to: number): void {
    this.checkClient(clientIndex);
    const already = this.gapReportedThrough[clientIndex] as number;
    const newFrom = Math.max(from, already + 1);
    if (to >= newFrom) {
      this.totals.gapReported += to - newFrom + 1;
      this.gapReportedThrough[clientIndex] = to;
    }
  }

  /** Number of clients this tracker covers. */
  get clientCount(): number {
    return this.highestSeq.length;
  }

  /** The counts so far (a copy). */
  counts(): DeliveryCounts {
    return { ...this.totals };
  }

  /** Number of outstanding hole ranges over all clients (memory check). */
  holeRangeCount(): number {
    let total = 0;
    for (const holes of this.holes) total += holes?.rangeCount ?? 0;
    return total;
  }

  /** Updates the per-client seq state and says what this arrival was. */
  private classify(clientIndex: number, seq: number): Sighting {
    const highest = this.highestSeq[clientIndex] as number;
    if (seq > highest) {
      if (seq > highest + 1) this.holesOf(clientIndex).addAbove(highest + 1, seq - 1);
      this.highestSeq[clientIndex] = seq;
      return 'in-order';
    }
    const holes = this.holes[clientIndex];
    return holes !== undefined && holes.take(seq) ? 'late' : 'duplicate';
  }

  private count(sighting: Sighting, intendedNs: bigint, receivedNs: bigint, payloadBytes: number): void {
    if (sighting === 'duplicate') {
      this.totals.duplicated++;
      return;
    }
    if (sighting === 'late') this.totals.reordered++;
    this.totals.delivered++;
    this.totals.payloadBytes += payloadBytes;
    this.latency.record(receivedNs - intendedNs);
  }

  private holesOf(clientIndex: number): SeqHoles {
    let holes = this.holes[clientIndex];
    if (holes === undefined) {
      holes = new SeqHoles();
      this.holes[clientIndex] = holes;
    }
    return holes;
  }

  private checkClient(clientIndex: number): void {
    if (!(clientIndex >= 0 && clientIndex < this.highestSeq.length && Number.isInteger(clientIndex))) {
      throw new RangeError(`clientIndex ${clientIndex} is outside 0..${this.highestSeq.length - 1}`);
    }
  }
}
