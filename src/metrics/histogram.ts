import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, JsHistogram, type Histogram } from 'hdr-histogram-js';

/**
 * The fixed range every latency histogram of a run shares, in nanoseconds.
 *
 * Why this range: loopback deliveries take tens of microseconds, so 1 µs is the finest step
 * worth telling apart; a polling interval or a long-poll timeout can reach minutes, and a
 * stalled client an hour, beyond which a number is a bug report, not a latency. With 3
 * significant digits every value is kept to within 0.1 %, which is finer than the
 * run-to-run noise of any transport. A fixed range (no auto-resize) makes every histogram
 * of every process identical in shape, so merging is plain bucket addition (exact) and a
 * histogram's memory is fixed (~200 KB), whatever it records.
 */
export const LATENCY_RANGE = {
  /** Smallest value told apart from 0, in ns (1 µs). */
  lowestDiscernibleNs: 1_000,
  /** Largest value recorded as is, in ns (1 hour); larger values are clamped to it. */
  highestTrackableNs: 3_600_000_000_000,
  /** Decimal digits of resolution kept at every magnitude. */
  significantDigits: 3,
} as const;

/** 64-bit (float) counters: a merged histogram of a long run never overflows a bucket. */
const BIT_BUCKET_SIZE = 64;

/**
 * Percentile summary of a histogram, in milliseconds.
 *
 * An empty histogram has `count: 0` and `null` for every value: 0 would read as a measured
 * "instant" delivery, and NaN does not survive JSON. Readers render null as "—".
 */
export interface HistogramSummary {
  /** Smallest recorded value, ms (bucket-equivalent, within 0.1 %). */
  min: number | null;
  /** Arithmetic mean, ms. */
  mean: number | null;
  /** Median, ms. */
  p50: number | null;
  /** 90th percentile, ms. */
  p90: number | null;
  /** 99th percentile, ms. */
  p99: number | null;
  /** 99.9th percentile, ms. */
  p999: number | null;
  /** Largest recorded value, ms (bucket-equivalent, within 0.1 %). */
  max: number | null;
  /** Number of recorded values (integer, not ms). */
  count: number;
}

/** A summary of nothing: every value null, count 0. */
export const EMPTY_SUMMARY: HistogramSummary = Object.freeze({
  min: null,
  mean: null,
  p50: null,
  p90: null,
  p99: null,
  p999: null,
  max: null,
  count: 0,
});

/**
 * The pure-JS build is used on purpose: the WASM build needs an asynchronous
 * `initWebAssembly()` before the first histogram and explicit `destroy()` calls to free its
 * memory; the JS build is fast enough for one `recordValue` per delivered event.
 */
function newRawHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: LATENCY_RANGE.lowestDiscernibleNs,
    highestTrackableValue: LATENCY_RANGE.highestTrackableNs,
    numberOfSignificantValueDigits: LATENCY_RANGE.significantDigits,
    bitBucketSize: BIT_BUCKET_SIZE,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** ns → ms, rounded to 3 decimals (1 µs, the histogram's finest step). */
function nsToMs(ns: number): number {
  return Math.round(ns / 1_000) / 1_000;
}

/**
 * A latency histogram: records durations in nanoseconds, reports in milliseconds, and
 * travels between processes as a compressed base64 string.
 */
export class LatencyHistogram {
  private readonly raw: Histogram;
  private clamped = 0;

  constructor(raw: Histogram = newRawHistogram()) {
    this.raw = raw;
  }

  /**
   * Records one duration in ns. Values outside the range are clamped (negative → 0,
   * above one hour → one hour) and counted in `clampedCount`, never dropped: a dropped
   * value would silently shrink the tail.
   */
  record(ns: bigint | number): void {
    let value = typeof ns === 'bigint' ? Number(ns) : ns;
    if (!(value >= 0)) {
      value = 0;
      this.clamped++;
    } else if (value > LATENCY_RANGE.highestTrackableNs) {
      value = LATENCY_RANGE.highestTrackableNs;
      this.clamped++;
    }
    this.raw.recordValue(value);
  }

  /** Number of recorded values. */
  get count(): number {
    return this.raw.totalCount;
  }

  /** Number of values clamped into the range by `record` (not carried by `encode`). */
  get clampedCount(): number {
    return this.clamped;
  }

  /** Forgets every value: the histogram can record a new interval without a new allocation. */
  reset(): void {
    this.raw.reset();
    this.clamped = 0;
  }

  /** Adds every value of `other` to this histogram (exact: same fixed range). */
  add(other: LatencyHistogram): void {
    this.raw.add(other.raw);
    this.clamped += other.clamped;
  }

  /** Adds the values of a histogram encoded by `encode` (in this or another process). */
  addEncoded(encoded: string): void {
    this.raw.add(decodeRaw(encoded));
  }

  /** The compressed base64 form (HdrHistogram V2 encoding) for IPC or storage. */
  encode(): string {
    return encodeIntoCompressedBase64(this.raw);
  }

  /**
   * The summary in ms. min and max come from the buckets (percentile 0 and 100), not from
   * the exact extremes the library tracks on record, so that a histogram merged from parts
   * reports the same min and max as one that recorded everything itself.
   */
  summary(): HistogramSummary {
    if (this.raw.totalCount === 0) return { ...EMPTY_SUMMARY };
    const at = (percentile: number): number => nsToMs(this.raw.getValueAtPercentile(percentile));
    return {
      min: at(0),
      mean: nsToMs(this.raw.mean),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: at(100),
      count: this.raw.totalCount,
    };
  }

  /** The value at a percentile (0 … 100), ms, from the buckets; null when nothing was recorded. */
  percentileMs(percentile: number): number | null {
    return this.raw.totalCount === 0 ? null : nsToMs(this.raw.getValueAtPercentile(percentile));
  }

  /**
   * Every non-empty bucket in value order: its upper edge in ms (the largest value it stands
   * for) and its count. This is the whole distribution the histogram knows.
   */
  buckets(): Array<{ upToMs: number; count: number }> {
    const raw = this.raw;
    if (!(raw instanceof JsHistogram)) throw new TypeError('LatencyHistogram.buckets needs the pure-JS histogram build');
    const buckets: Array<{ upToMs: number; count: number }> = [];
    const iterator = raw.recordedValuesIterator;
    iterator.reset();
    while (iterator.hasNext()) {
      const step = iterator.next();
      buckets.push({ upToMs: raw.highestEquivalentValue(step.valueIteratedTo) / 1e6, count: step.countAddedInThisIterationStep });
    }
    return buckets;
  }

  /** A histogram holding the values of an encoded one. */
  static decode(encoded: string): LatencyHistogram {
    const histogram = new LatencyHistogram();
    histogram.addEncoded(encoded);
    return histogram;
  }
}

function decodeRaw(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded, BIT_BUCKET_SIZE, false);
}

/** Merges encoded histograms into one encoded histogram (exact bucket addition). */
export function mergeEncoded(...encoded: string[]): string {
  const merged = new LatencyHistogram();
  for (const part of encoded) merged.addEncoded(part);
  return merged.encode();
}

/**
 * Merges two reports of disjoint sets of clients whose fields are counts (added) and encoded
 * histograms (added bucket by bucket): exact, so any split of the clients merges to what one
 * process seeing them all would have reported.
 */
export function mergeCountsAndHistograms<T extends Record<keyof T, number | string>>(a: T, b: T): T {
  const merged = { ...a };
  for (const key of Object.keys(a) as Array<keyof T>) {
    const [x, y] = [a[key], b[key]];
    merged[key] = (typeof x === 'string' ? mergeEncoded(x, y as string) : x + (y as number)) as T[keyof T];
  }
  return merged;
}

/** Summary (ms) of an encoded histogram. */
export function summarizeEncoded(encoded: string): HistogramSummary {
  return LatencyHistogram.decode(encoded).summary();
}
