/**
 * A link's bandwidth as a token bucket: bytes may leave at `bytesPerSecond`, with up to
 * `burstBytes` sent back to back after an idle spell (a link's queue drains, then fills at line
 * rate). Pure: time comes in as an argument, so tests are exact.
 */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    /** Sustained rate, bytes per second (> 0). */
    private readonly bytesPerSecond: number,
    /** Bytes that may go at once after an idle spell (≥ 1). */
    private readonly burstBytes: number,
    startMs: number,
  ) {
    if (!(bytesPerSecond > 0)) throw new RangeError(`bytesPerSecond must be above 0, got ${bytesPerSecond}`);
    if (!(burstBytes >= 1)) throw new RangeError(`burstBytes must be at least 1, got ${burstBytes}`);
    this.tokens = burstBytes;
    this.updatedMs = startMs;
  }

  /**
   * Takes `bytes` that are ready at `readyMs` (not before the previous take's ready time) and
   * returns when the last of them has left the link, ms. Bytes beyond the tokens at hand wait
   * for the refill: a chunk larger than the burst leaves at line rate.
   */
  take(bytes: number, readyMs: number): number {
    const nowMs = Math.max(readyMs, this.updatedMs);
    this.tokens = Math.min(this.burstBytes, this.tokens + ((nowMs - this.updatedMs) * this.bytesPerSecond) / 1_000);
    this.tokens -= bytes;
    if (this.tokens >= 0) {
      this.updatedMs = nowMs;
      return nowMs;
    }
    // In debt: the link is busy until the refill has paid it back.
    const doneMs = nowMs + (-this.tokens * 1_000) / this.bytesPerSecond;
    this.tokens = 0;
    this.updatedMs = doneMs;
    return doneMs;
  }
}
