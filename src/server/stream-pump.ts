import type { SharedEvent } from './client-log.js';
import type { SlowConsumerOptions } from './options.js';
import type { ChannelCounters } from './stats.js';
import type { Client, EventStore, Subscriber } from './store.js';

/** How a streaming transport (SSE, HTTP streaming, WebSocket) puts bytes on its connection. */
export interface StreamSink {
  /** Bytes queued in user space for this connection, not yet taken by the kernel. */
  bufferedBytes(): number;
  /** True when a 'drain' will follow (the socket refused more); false when it already took everything. */
  needsDrain(): boolean;
  onceDrain(listener: () => void): void;
  /** `writes`: how many writes at most follow before endBatch (a gap and the events pending). */
  beginBatch(writes: number): void;
  /** Each write returns the number of characters queued, a cheap stand-in for bytes. */
  writeGap(from: number, to: number): number;
  writeEvent(seq: number, event: SharedEvent): number;
  endBatch(): void;
  /** Close the connection at once: it is too slow to be worth buffering for. */
  drop(): void;
}

/**
 * Moves a client's events onto one streaming connection under the slow-consumer policy:
 *
 * - The store is the buffer. The pump writes while the connection's queue is under
 *   `maxBufferedBytes`, then waits for 'drain' with its cursor left behind; nothing more is
 *   queued for a consumer that does not read.
 * - If retention drops events the connection has not been sent yet, it gets a gap marker for
 *   them (the client counts the loss) and the server counts them as skipped.
 * - A connection blocked for `stallTimeoutMs` without draining is closed and counted.
 */
export class StreamPump implements Subscriber {
  private waiting = false;
  private started = false;
  private stopped = false;
  /** The stall timeout while waiting for 'drain', or the retry after a batch the kernel took: never both. */
  private timer: NodeJS.Timeout | undefined;
  /** Made the first time the pump waits: most connections never do, and a closure each is memory per connection. */
  private resumer: (() => void) | undefined;

  constructor(
    private readonly client: Client,
    private cursor: number,
    private readonly sink: StreamSink,
    private readonly limits: SlowConsumerOptions,
    private readonly counters: ChannelCounters,
  ) {}

  /** Subscribes to the client's events, counts the stream open, and sends the catch-up after the starting cursor. */
  open(store: EventStore): void {
    this.counters.open++;
    store.subscribe(this.client, this);
    this.pump();
    this.started = true;
  }

  /** Unsubscribes and counts the stream closed; no timer is left. Idempotent. */
  close(store: EventStore): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimers();
    store.unsubscribe(this.client, this);
    this.counters.open--;
  }

  onEvents(): void {
    if (!this.waiting) this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    const log = this.client.log;
    let budget = this.limits.maxBufferedBytes - this.sink.bufferedBytes();
    if (budget > 0 && this.cursor < log.lastSeq) {
      const gap = log.gapAfter(this.cursor);
      this.sink.beginBatch((gap ? 1 : 0) + log.lastSeq - (gap ? gap.to : this.cursor));
      if (gap) {
        const lost = gap.to - gap.from + 1;
        this.counters.gapEvents += lost;
        if (this.started) this.counters.slowConsumerSkippedEvents += lost;
        budget -= this.sink.writeGap(gap.from, gap.to);
        this.cursor = gap.to;
      }
      let sent = 0;
      while (this.cursor < log.lastSeq && budget > 0) {
        const seq = ++this.cursor;
        budget -= this.sink.writeEvent(seq, log.at(seq));
        sent++;
      }
      this.sink.endBatch();
      this.counters.eventsSent += sent;
    }
    if (this.cursor < log.lastSeq && !this.stopped) this.waitForRoom();
  }

  private get resume(): () => void {
    return (this.resumer ??= () => {
      this.waiting = false;
      this.clearTimers();
      this.pump();
    });
  }

  private waitForRoom(): void {
    this.waiting = true;
    if (this.sink.needsDrain()) {
      this.counters.slowConsumerPauses++;
      this.sink.onceDrain(this.resume);
      this.clearTimers();
      this.timer = setTimeout(() => {
        this.counters.slowConsumerDisconnects++;
        // drop() closes the connection, whose cleanup closes this pump.
        this.sink.drop();
      }, this.limits.stallTimeoutMs);
    } else {
      // The kernel took the batch (or compression still holds it): carry on after other work.
      this.clearTimers();
      this.timer = setTimeout(this.resume, this.sink.bufferedBytes() > 0 ? 1 : 0);
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
