import type { ServerResponse } from 'node:http';
import type { SharedEvent } from './client-log.js';
import type { ServerContext } from './context.js';
import { needsDrain } from './http-utils.js';
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
    const stream = new TextStream(this.server, this.counters, this.format, res, client, cursor, heartbeatMs, this.streams);
    this.streams.add(stream);
    stream.start();
  }

  /** Ends every stream (server shutdown or POST /reset). */
  closeAll(): void {
    for (const stream of this.streams) stream.end();
  }
}

/** The stream a response carries, for the close listener below. */
const STREAM = Symbol('stream');

/** Every stream's close listener: one function for all, not a closure per stream (memory per connection is measured against a plain server). */
function onResponseClose(this: ServerResponse): void {
  (this as ServerResponse & { [STREAM]: TextStream })[STREAM].cleanup();
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
    /** The endpoint's open streams: this one leaves it when it closes. */
    private readonly openStreams: Set<TextStream>,
  ) {
    this.pump = new StreamPump(client, cursor, this, server.options.slowConsumer, counters);
    (res as ServerResponse & { [STREAM]: TextStream })[STREAM] = this;
    res.once('close', onResponseClose);
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
    return needsDrain(this.res);
  }

  onceDrain(listener: () => void): void {
    this.res.once('drain', listener);
  }

  beginBatch(): void {
    // However many events, the batch goes out as one write (one HTTP chunk).
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
    if (!needsDrain(this.res)) {
      // bytesWritten counts what is queued too, so the difference is this write with its framing.
      // Over TLS the TCP socket under it sees the record a moment later (TLS encrypts, and an
      // HTTP/2 session sends its frames, in a native immediate, which runs before ours): measured
      // then; exact for a connection of one stream, and on an HTTP/2 session shared by several it
      // may take in a neighbour's bytes written in the same turn.
      const socket = this.res.socket;
      const wire = this.server.stats.wireSocket(socket);
      const before = wire?.bytesWritten ?? 0;
      this.res.write(this.format.heartbeat);
      this.counters.heartbeats++;
      const count = (): void => void (this.counters.heartbeatBytes += (wire?.bytesWritten ?? before) - before);
      if (wire !== socket) setImmediate(count);
      else count();
    }
    this.heartbeat?.refresh();
  }

  cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.server.store);
    clearTimeout(this.heartbeat);
    this.server.stats.settleSocket(this.res.socket);
    this.openStreams.delete(this);
  }
}
