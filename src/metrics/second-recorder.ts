import { LatencyHistogram } from './histogram.js';
import { SERIES_INTERVAL_NS, secondIndex, type ClientSecond } from './series.js';

/** A process's cumulative counters, read when a second closes; the second gets what they grew by. */
export interface SecondTotals {
  requests: number;
  bytesDown: number;
  bytesUp: number;
}

/** Gauges read when a second closes. */
export interface SecondGauges {
  /** Clients connected now. Count. */
  connected: number;
  /** Event-loop utilisation since the previous close, 0..1. */
  elu: number;
}

interface Bucket {
  deliveries: number;
  counted: number;
  latency: LatencyHistogram;
  failures: Record<string, number>;
}

/**
 * One client process's per-second recorder. Deliveries and failures go to the second they
 * happened in (by their own timestamp); counters and gauges are read when a second is closed
 * (a timer at each second boundary). Usually one bucket is open, so a process keeps one
 * latency histogram, reset and reused each second; closed seconds leave as encoded parts.
 */
export class SecondRecorder {
  private readonly open = new Map<number, Bucket>();
  private readonly spare: LatencyHistogram[] = [];
  private lastTotals: SecondTotals = { requests: 0, bytesDown: 0, bytesUp: 0 };
  /** The latest second whose counters and gauges were shipped. */
  private closedThrough = -1;
  /** The bucket the latest delivery went to and its time span: most deliveries fall in it, and a comparison is cheaper than a division. */
  private hot: { bucket: Bucket; fromNs: bigint; toNs: bigint } | undefined;

  constructor(private readonly originNs: bigint) {}

  /** A first sighting of an event at `atNs`, `latencyNs` after its intended time; `counted` when intended in the window. */
  delivery(atNs: bigint, latencyNs: bigint, counted: boolean): void {
    const hot = this.hot;
    const bucket = hot && atNs >= hot.fromNs && atNs < hot.toNs ? hot.bucket : this.hotBucket(atNs);
    bucket.deliveries++;
    if (counted) bucket.counted++;
    bucket.latency.record(latencyNs);
  }

  failure(atNs: bigint, kind: string): void {
    const failures = this.bucket(secondIndex(atNs, this.originNs)).failures;
    failures[kind] = (failures[kind] ?? 0) + 1;
  }

  /**
   * Closes every second that ended by `nowNs` (`final`: the current one too) and returns its
   * parts. The counters' growth since the last close and the gauges go to the latest closed second.
   */
  close(nowNs: bigint, totals: SecondTotals, gauges: SecondGauges, final = false): ClientSecond[] {
    const current = secondIndex(nowNs, this.originNs);
    const through = Math.max(0, final ? current : current - 1);
    const parts: ClientSecond[] = [];
    for (const [s, bucket] of [...this.open].sort(([a], [b]) => a - b)) {
      if (s > through) continue;
      parts.push(this.partOf(s, bucket));
      this.open.delete(s);
      if (this.hot?.bucket === bucket) this.hot = undefined;
      bucket.latency.reset();
      this.spare.push(bucket.latency);
    }
    if (through > this.closedThrough) {
      let last = parts.find((part) => part.s === through);
      if (!last) {
        last = { s: through, deliveries: 0, counted: 0, latency: '', requests: 0, bytesDown: 0, bytesUp: 0, failures: {} };
        parts.push(last);
      }
      last.requests = totals.requests - this.lastTotals.requests;
      last.bytesDown = totals.bytesDown - this.lastTotals.bytesDown;
      last.bytesUp = totals.bytesUp - this.lastTotals.bytesUp;
      last.connected = gauges.connected;
      last.elu = gauges.elu;
      this.lastTotals = { ...totals };
      this.closedThrough = through;
    }
    return parts;
  }

  private hotBucket(atNs: bigint): Bucket {
    const s = secondIndex(atNs, this.originNs);
    const fromNs = this.originNs + BigInt(s) * SERIES_INTERVAL_NS;
    const bucket = this.bucket(s);
    this.hot = { bucket, fromNs, toNs: fromNs + SERIES_INTERVAL_NS };
    return bucket;
  }

  private partOf(s: number, bucket: Bucket): ClientSecond {
    return {
      s,
      deliveries: bucket.deliveries,
      counted: bucket.counted,
      latency: bucket.deliveries > 0 ? bucket.latency.encode() : '',
      requests: 0,
      bytesDown: 0,
      bytesUp: 0,
      failures: bucket.failures,
    };
  }

  private bucket(s: number): Bucket {
    let bucket = this.open.get(s);
    if (!bucket) {
      bucket = { deliveries: 0, counted: 0, latency: this.spare.pop() ?? new LatencyHistogram(), failures: {} };
      this.open.set(s, bucket);
    }
    return bucket;
  }
}
