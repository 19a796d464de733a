/**
 * One event as stored once and shared by every recipient's log. `tail` is the serialised
 * shared part of the event JSON; a client's copy is `{"seq":N,` + tail (see wire.ts).
 */
export interface SharedEvent {
  readonly id: number;
  readonly tail: string;
  /** performance.now() when stored; drives age-based retention. */
  readonly storedAtMs: number;
}

/**
 * A client's contiguous sequence of events with bounded retention: a ring of references to
 * shared events, growing on demand up to the count bound (idle clients stay small).
 * Retained seqs are always the range [firstSeq, lastSeq]; seqs below firstSeq are lost.
 */
export class ClientLog {
  private slots: Array<SharedEvent | undefined> = [];
  /** Slot index of the oldest retained event. */
  private head = 0;
  private size = 0;
  /** Seq of the newest event ever appended (0 = none yet). */
  lastSeq = 0;
  /** Last event id appended, to ignore a recipient listed twice for one event. */
  lastEventId = 0;

  /** Seq of the oldest retained event; lastSeq + 1 when nothing is retained. */
  get firstSeq(): number {
    return this.lastSeq - this.size + 1;
  }

  get retained(): number {
    return this.size;
  }

  append(event: SharedEvent, maxEvents: number): void {
    this.lastSeq++;
    this.lastEventId = event.id;
    if (this.size === maxEvents) {
      // Full: overwrite the oldest (count-based retention).
      this.slots[this.head] = event;
      this.head = (this.head + 1) % this.slots.length;
      return;
    }
    if (this.size === this.slots.length) this.grow(maxEvents);
    this.slots[(this.head + this.size) % this.slots.length] = event;
    this.size++;
  }

  /** The event with this seq; the caller guarantees firstSeq <= seq <= lastSeq. */
  at(seq: number): SharedEvent {
    const offset = seq - this.firstSeq;
    return this.slots[(this.head + offset) % this.slots.length]!;
  }

  /** Drops events stored before `cutoffMs`; returns how many were dropped. */
  evictStoredBefore(cutoffMs: number): number {
    let dropped = 0;
    while (this.size > 0) {
      const oldest = this.slots[this.head]!;
      if (oldest.storedAtMs >= cutoffMs) break;
      this.slots[this.head] = undefined; // let the shared event be collected
      this.head = (this.head + 1) % this.slots.length;
      this.size--;
      dropped++;
    }
    if (this.size === 0) this.head = 0;
    return dropped;
  }

  /** Gap between a client's cursor and what is retained, or undefined when nothing was lost. */
  gapAfter(cursor: number): { from: number; to: number } | undefined {
    const first = this.firstSeq;
    return cursor + 1 < first ? { from: cursor + 1, to: first - 1 } : undefined;
  }

  private grow(maxEvents: number): void {
    const capacity = Math.min(Math.max(4, this.slots.length * 2), maxEvents);
    const next = new Array<SharedEvent | undefined>(capacity);
    for (let i = 0; i < this.size; i++) next[i] = this.slots[(this.head + i) % this.slots.length];
    this.slots = next;
    this.head = 0;
  }
}
