/**
 * Each client's seq of each scheduled event, rebuilt in a client process from the seeded
 * schedule. A server without per-client sequence numbers (an adapter's target) relays events
 * that carry their schedule ordinal; this turns the ordinal into the seq the wire contract's
 * server would have given, so the delivery accounting (lost, duplicated, reordered) stays exact
 * and shared with the contract's transports.
 */
import { publishSchedule, type ScheduleBasis } from './schedule.js';

export class ScheduledSeqs {
  /** Events to 'all' before ordinal k, for every k up to the schedule's length. */
  private readonly broadcastsBefore: number[] = [0];
  private readonly isBroadcast: boolean[] = [];
  /** Per client of the shard: the ordinals of the events addressed to it by name, ascending. */
  private readonly named: number[][];

  /** The shard's clients are the fleet's firstIndex .. firstIndex + count − 1. */
  constructor(basis: ScheduleBasis, untilMs: number, firstIndex: number, count: number) {
    this.named = Array.from({ length: count }, () => []);
    let ordinal = 0;
    let broadcasts = 0;
    for (const event of publishSchedule(basis, untilMs)) {
      this.isBroadcast.push(event.to === 'all');
      if (event.to === 'all') broadcasts++;
      else
        for (const global of event.to) {
          const local = global - firstIndex;
          if (local >= 0 && local < count) this.named[local]!.push(ordinal);
        }
      this.broadcastsBefore.push(broadcasts);
      ordinal++;
    }
  }

  /** The seq of event `ordinal` at the shard's client `local` (1-based), or -1 when it was not addressed to it. */
  readonly seqOf = (local: number, ordinal: number): number => {
    const named = this.named[local];
    const broadcast = this.isBroadcast[ordinal];
    if (named === undefined || broadcast === undefined) return -1;
    const before = lowerBound(named, ordinal);
    if (!broadcast && named[before] !== ordinal) return -1;
    return this.broadcastsBefore[ordinal]! + before + 1;
  };
}

/** The first position in ascending `values` whose value is not below `value`. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
