/**
 * One direction of an emulated link, as toxiproxy's latency and bandwidth toxics shape it: a
 * chunk read at time t leaves the bandwidth bottleneck (a token bucket) and then travels for the
 * one-way latency, give or take the jitter. Bytes of one TCP stream are never reordered: a chunk
 * never arrives before the one read before it, however the jitter falls. Pure: time and
 * randomness are injected.
 */
import { TokenBucket } from './token-bucket.js';

export interface LinkDirection {
  /** One-way delay, ms (≥ 0). */
  latencyMs: number;
  /** Each chunk's delay varies uniformly within ±jitterMs of the latency (never below 0), ms. */
  jitterMs: number;
  /** Sustained rate, bytes per second; null = not limited. */
  bytesPerSecond: number | null;
  /** Bytes that may go back to back after an idle spell (the bottleneck's queue), when limited. */
  burstBytes: number;
}

export class DelayLine {
  private readonly bucket: TokenBucket | undefined;
  private lastArrivalMs = -Infinity;

  constructor(
    private readonly shape: LinkDirection,
    /** Seeded, in [0, 1). */
    private readonly random: () => number,
    startMs: number,
  ) {
    if (!(shape.latencyMs >= 0)) throw new RangeError(`latencyMs must be at least 0, got ${shape.latencyMs}`);
    if (!(shape.jitterMs >= 0)) throw new RangeError(`jitterMs must be at least 0, got ${shape.jitterMs}`);
    this.bucket = shape.bytesPerSecond === null ? undefined : new TokenBucket(shape.bytesPerSecond, shape.burstBytes, startMs);
  }

  /** When a chunk of `bytes` read at `readMs` arrives at the other end, ms. */
  arrival(bytes: number, readMs: number): number {
    const sentMs = this.bucket ? this.bucket.take(bytes, readMs) : readMs;
    const jitter = this.shape.jitterMs === 0 ? 0 : (this.random() * 2 - 1) * this.shape.jitterMs;
    const travelMs = Math.max(0, this.shape.latencyMs + jitter);
    // TCP delivers in order: a chunk waits for the one before it.
    this.lastArrivalMs = Math.max(this.lastArrivalMs, sentMs + travelMs);
    return this.lastArrivalMs;
  }
}
