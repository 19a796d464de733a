import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SharedEvent } from '../../server/client-log.js';
import { checkCursor, clientIdParam, heartbeatParam, integerParam, MIN_HEARTBEAT_MS, parseInteger } from '../../server/http-utils.js';
import { checkInteger } from '../../server/option-checks.js';
import type { Client } from '../../server/store.js';
import { StreamPump, type StreamSink } from '../../server/stream-pump.js';
import { SSE_HEARTBEAT, sseEvent, sseGap, sseRetry } from '../../server/wire.js';
import type { EndpointContext, EndpointRoute, TransportEndpoint } from '../module.js';

export interface SseServerOptions {
  /** Value of the `retry:` field sent first on every stream (the client's reconnect delay), ms. */
  retryMs: number;
  /** Interval of `: hb` comments on an idle stream; 0 = off. Per connection: `&heartbeat=MS`. */
  heartbeatMs: number;
}

export const SSE_SERVER_DEFAULTS: SseServerOptions = { retryMs: 1000, heartbeatMs: 0 };

export function checkSseServerOptions(o: SseServerOptions): void {
  checkInteger('transports.sse.retryMs', o.retryMs, 0, 2 ** 31 - 1);
  if (o.heartbeatMs !== 0) checkInteger('transports.sse.heartbeatMs', o.heartbeatMs, MIN_HEARTBEAT_MS, 3_600_000);
}

type Context = EndpointContext<SseServerOptions>;

const MAX_INTERVAL_MS = 3_600_000;

/**
 * GET /sse: one text/event-stream per request. A batch of events goes out as one write (one
 * HTTP chunk); a heartbeat goes out whenever the stream has been silent for a whole interval, so
 * it is never silent longer than that (what keeps it alive through a proxy's idle timeout).
 */
export class SseEndpoint implements TransportEndpoint {
  private readonly streams = new Set<SseStream>();
  readonly routes: readonly EndpointRoute[] = [{ path: '/sse', method: 'GET', query: 'client=ID', handle: (req, res, query) => this.handle(req, res, query) }];

  constructor(private readonly ctx: Context) {}

  handle(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const { options } = this.ctx;
    const { store } = this.ctx.server;
    const client = store.resolve(clientIdParam(query), this.ctx.server.options.autoRegister);
    const lastEventId = req.headers['last-event-id'];
    // Last-Event-ID (the browser's automatic resume) wins over the explicit cursor.
    const cursor =
      typeof lastEventId === 'string' && lastEventId !== ''
        ? checkCursor(parseInteger(lastEventId.trim(), 'Last-Event-ID', Number.MAX_SAFE_INTEGER), client.log, 'Last-Event-ID')
        : checkCursor(integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER), client.log, 'after');
    const heartbeatMs = heartbeatParam(query, options.heartbeatMs);
    const retryMs = integerParam(query, 'retry', options.retryMs, MAX_INTERVAL_MS);
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
  /** Fires after an interval of silence; every write pushes it back (refresh re-arms one timer, no allocation). */
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ctx: Context,
    private readonly res: ServerResponse,
    client: Client,
    cursor: number,
    heartbeatMs: number,
    private readonly onClosed: () => void,
  ) {
    this.pump = new StreamPump(client, cursor, this, ctx.server.options.slowConsumer, ctx.counters);
    res.once('close', () => this.cleanup());
    if (heartbeatMs > 0) this.heartbeat = setTimeout(() => this.beat(), heartbeatMs);
  }

  start(): void {
    this.pump.open(this.ctx.server.store);
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
      this.res.write(SSE_HEARTBEAT);
      this.ctx.counters.heartbeats++;
      this.ctx.counters.heartbeatBytes += (socket?.bytesWritten ?? before) - before;
    }
    this.heartbeat?.refresh();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.ctx.server.store);
    clearTimeout(this.heartbeat);
    this.ctx.server.stats.settleSocket(this.res.socket);
    this.onClosed();
  }
}
