/**
 * The sequence numbers still missing below the highest one seen, for one client, kept as
 * sorted, disjoint, inclusive ranges in one flat array `[from0, to0, from1, to1, ...]`.
 *
 * Why ranges: a lost burst of 10,000 events is one range, not 10,000 entries, so memory
 * grows with the number of *holes*, not of events. Reordering fills holes quickly, so the
 * array stays short and a linear or binary search over it is cheap.
 */
export class SeqHoles {
  private readonly ranges: number[] = [];

  /** Number of disjoint missing ranges (for tests and memory checks). */
  get rangeCount(): number {
    return this.ranges.length / 2;
  }

  /** Total number of missing seqs. */
  get missingCount(): number {
    let total = 0;
    for (let i = 0; i < this.ranges.length; i += 2) {
      total += (this.ranges[i + 1] as number) - (this.ranges[i] as number) + 1;
    }
    return total;
  }

  /**
   * Marks [from, to] missing. Callers only ever add ranges above every existing one (the
   * seqs between the highest seen and a new, higher seq), which keeps the array sorted.
   */
  addAbove(from: number, to: number): void {
    this.ranges.push(from, to);
  }

  /** Removes `seq` if it is missing and says whether it was (a late first arrival). */
  take(seq: number): boolean {
    const index = this.indexOfRangeHolding(seq);
    if (index < 0) return false;
    this.removeFromRange(index, seq);
    return true;
  }

  /** Index (even) of the range that contains seq, or -1. Binary search over ranges. */
  private indexOfRangeHolding(seq: number): number {
    let low = 0;
    let high = this.ranges.length / 2 - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const from = this.ranges[mid * 2] as number;
      const to = this.ranges[mid * 2 + 1] as number;
      if (seq < from) high = mid - 1;
      else if (seq > to) low = mid + 1;
      else return mid * 2;
    }
    return -1;
  }

  private removeFromRange(index: number, seq: number): void {
    const from = this.ranges[index] as number;
    const to = this.ranges[index + 1] as number;
    if (from === to) this.ranges.splice(index, 2);
    else if (seq === from) this.ranges[index] = from + 1;
    else if (seq === to) this.ranges[index + 1] = to - 1;
    else this.ranges.splice(index + 1, 0, seq - 1, seq + 1);
  }
}
