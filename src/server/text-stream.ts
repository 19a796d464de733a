import type { ServerResponse } from 'node:http';
import type { SharedEvent } from './client-log.js';
import type { ServerContext } from './context.js';
import type { ChannelCounters } from './stats.js';
import type { Client } from './store.js';
import { StreamPump, type StreamSink } from './stream-pump.js';

/** How one text stream (SSE, newline-delimited JSON) spells what it carries. */
export interface TextFormat {
  event(seq: number, event: SharedEvent): string;
  gap(from: number, to: number): string;
  /** Written when the stream has carried nothing for a whole heartbeat interval. */
  heartbeat: string;
}

/**
 * The open streams of one endpoint that answers with a never-ending text body (GET /sse,
 * GET /stream): each goes through a StreamPump (slow consumers), a batch of events goes out as
 * one write (one HTTP chunk), and a heartbeat goes out whenever the stream has been silent for
 * a whole interval, so it is never silent longer than that (what keeps it alive through a
 * proxy's idle timeout).
 */
export class TextStreams {
  private readonly streams = new Set<TextStream>();

  constructor(
    private readonly server: ServerContext,
    private readonly counters: ChannelCounters,
    private readonly format: TextFormat,
  ) {}

  /** Serves `res` (its head written already) from `cursor` on: the catch-up, then live events. */
  open(res: ServerResponse, client: Client, cursor: number, heartbeatMs: number): void {
    const stream = new TextStream(this.server, this.counters, this.format, res, client, cursor, heartbeatMs, () => this.streams.delete(stream));
    this.streams.add(stream);
    stream.start();
  }

  /** Ends every stream (server shutdown or POST /reset). */
  closeAll(): void {
    for (const stream of this.streams) stream.end();
  }
}

class TextStream implements StreamSink {
  private readonly pump: StreamPump;
  private batch = '';
  /** Fires after an interval of silence; every write pushes it back (refresh re-arms one timer, no allocation). */
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly server: ServerContext,
    private readonly counters: ChannelCounters,
    private readonly format: TextFormat,
    private readonly res: ServerResponse,
    client: Client,
    cursor: number,
    heartbeatMs: number,
    private readonly onClosed: () => void,
  ) {
    this.pump = new StreamPump(client, cursor, this, server.options.slowConsumer, counters);
    res.once('close', () => this.cleanup());
    if (heartbeatMs > 0) this.heartbeat = setTimeout(() => this.beat(), heartbeatMs);
  }

  start(): void {
    this.pump.open(this.server.store);
  }

  end(): void {
    this.res.end();
    this.cleanup();
  }

  bufferedBytes(): number {
    return this.res.writableLength;
  }

  needsDrain(): boolean {
    return this.res.writableNeedDrain;
  }

  onceDrain(listener: () => void): void {
    this.res.once('drain', listener);
  }

  beginBatch(): void {
    this.batch = '';
  }

  writeGap(from: number, to: number): number {
    const text = this.format.gap(from, to);
    this.batch += text;
    return text.length;
  }

  writeEvent(seq: number, event: SharedEvent): number {
    const text = this.format.event(seq, event);
    this.batch += text;
    return text.length;
  }

  endBatch(): void {
    if (this.batch === '') return;
    this.res.write(this.batch);
    this.batch = '';
    this.heartbeat?.refresh();
  }

  drop(): void {
    this.res.destroy();
    this.cleanup();
  }

  private beat(): void {
    // A stream whose socket is full is not idle: its bytes are on the way, a heartbeat would only queue.
    if (!this.res.writableNeedDrain) {
      // bytesWritten counts what is queued too, so the difference is this write with its chunk framing.
      const socket = this.res.socket;
      const before = socket?.bytesWritten ?? 0;
      this.res.write(this.format.heartbeat);
      this.counters.heartbeats++;
      this.counters.heartbeatBytes += (socket?.bytesWritten ?? before) - before;
    }
    this.heartbeat?.refresh();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.server.store);
    clearTimeout(this.heartbeat);
    this.server.stats.settleSocket(this.res.socket);
    this.onClosed();
  }
}
