/**
 * The soak's verdict on one memory series: after warm-up, does RSS stay flat? It compares the
 * median of the first minute of the measured window with the median of its last minute. Medians,
 * because a garbage collection moves single samples by several percent either way; whole
 * minutes, because V8 grows and trims its heap in cycles of tens of seconds.
 */
import type { RssSample } from './rss-sampler.js';

/** How far the last minute may lie from the first one: ±10 %. */
export const FLAT_TOLERANCE = 0.1;
/** The span compared at each end of the window, s (less when the window is shorter than three spans). */
const SPAN_S = 60;

export interface Flatness {
  /** The span compared at each end, s. */
  spanS: number;
  /** Median RSS over the window's first span, bytes. */
  firstBytes: number;
  /** Median RSS over the window's last span, bytes. */
  lastBytes: number;
  /** lastBytes ÷ firstBytes. */
  ratio: number;
  /** Whether the ratio lies within 1 ± FLAT_TOLERANCE. */
  flat: boolean;
}

export type Series = (sample: RssSample) => number | null;
export const serverSeries: Series = (s) => s.serverBytes;
export const clientSeries: Series = (s) => s.clientBytes;

/** The verdict on `series` over the samples taken in the measured window; undefined when the window holds too few samples to judge. */
export function flatness(samples: RssSample[], series: Series, tolerance = FLAT_TOLERANCE): Flatness | undefined {
  const window = samples.filter((s) => s.step === 'measure' && series(s) !== null);
  if (window.length < 2) return undefined;
  const startS = window[0]!.t;
  const endS = window.at(-1)!.t;
  const spanS = Math.min(SPAN_S, (endS - startS) / 3);
  const first = window.filter((s) => s.t <= startS + spanS).map((s) => series(s)!);
  const last = window.filter((s) => s.t >= endS - spanS).map((s) => series(s)!);
  const firstBytes = median(first);
  const lastBytes = median(last);
  const ratio = lastBytes / firstBytes;
  return { spanS, firstBytes, lastBytes, ratio, flat: Math.abs(ratio - 1) <= tolerance };
}

/** The first reading of a series (e.g. the server before any client connected), bytes. */
export function firstReading(samples: RssSample[], series: Series): number | undefined {
  for (const sample of samples) {
    const value = series(sample);
    if (value !== null) return value;
  }
  return undefined;
}

/** The highest reading of a series, bytes. */
export function peakReading(samples: RssSample[], series: Series): number | undefined {
  const values = samples.map(series).filter((v): v is number => v !== null);
  return values.length > 0 ? Math.max(...values) : undefined;
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
