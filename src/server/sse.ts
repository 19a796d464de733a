import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SharedEvent } from './client-log.js';
import type { ServerContext } from './context.js';
import { checkCursor, clientIdParam, integerParam, parseInteger } from './http-utils.js';
import { StreamPump, type StreamSink } from './stream-pump.js';
import type { Client } from './store.js';
import { SSE_HEARTBEAT, sseEvent, sseGap, sseRetry } from './wire.js';

const MAX_INTERVAL_MS = 3_600_000;

/**
 * GET /sse: one text/event-stream per request. A batch of events goes out as one write (one
 * HTTP chunk); heartbeats are sent only on a stream that was idle for a whole interval.
 */
export class SseEndpoint {
  private readonly streams = new Set<SseStream>();

  constructor(private readonly ctx: ServerContext) {}


  handle(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const { options, store } = this.ctx;
    const client = store.resolve(clientIdParam(query), options.autoRegister);
    const lastEventId = req.headers['last-event-id'];
    // Last-Event-ID (the browser's automatic resume) wins over the explicit cursor.
    const cursor =
      typeof lastEventId === 'string' && lastEventId !== ''
        ? checkCursor(parseInteger(lastEventId.trim(), 'Last-Event-ID', Number.MAX_SAFE_INTEGER), client.log, 'Last-Event-ID')
        : checkCursor(integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER), client.log, 'after');
    const heartbeatMs = integerParam(query, 'heartbeat', options.sse.heartbeatMs, MAX_INTERVAL_MS);
    const retryMs = integerParam(query, 'retry', options.sse.retryMs, MAX_INTERVAL_MS);
    store.evictExpired(client);

    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      // nginx and friends buffer responses unless told not to; a buffered stream is not a stream.
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.write(sseRetry(retryMs));
    const stream = new SseStream(this.ctx, res, client, cursor, heartbeatMs, () => this.streams.delete(stream));
    this.streams.add(stream);
    stream.start();
  }

  /** Ends every stream (server shutdown or POST /reset). */
  closeAll(): void {
    for (const stream of this.streams) stream.end();
  }
}

class SseStream implements StreamSink {
  private readonly pump: StreamPump;
  private batch = '';
  private wroteSinceHeartbeat = true;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ctx: ServerContext,
    private readonly res: ServerResponse,
    client: Client,
    cursor: number,
    heartbeatMs: number,
    private readonly onClosed: () => void,
  ) {
    const counters = ctx.stats.channels.sse;
    this.pump = new StreamPump(client, cursor, this, ctx.options.slowConsumer, counters);
    res.once('close', () => this.cleanup());
    if (heartbeatMs > 0) this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
  }

  start(): void {
    this.pump.open(this.ctx.store);
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
    const text = sseGap(from, to);
    this.batch += text;
    return text.length;
  }

  writeEvent(seq: number, event: SharedEvent): number {
    const text = sseEvent(seq, event);
    this.batch += text;
    return text.length;
  }

  endBatch(): void {
    if (this.batch === '') return;
    this.res.write(this.batch);
    this.batch = '';
    this.wroteSinceHeartbeat = true;
  }

  drop(): void {
    this.res.destroy();
    this.cleanup();
  }

  private beat(): void {
    if (!this.wroteSinceHeartbeat && !this.res.writableNeedDrain) this.res.write(SSE_HEARTBEAT);
    this.wroteSinceHeartbeat = false;
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.ctx.store);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.ctx.stats.settleSocket(this.res.socket);
    this.onClosed();
  }
}
