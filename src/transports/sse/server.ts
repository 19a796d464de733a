import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkCursor, clientIdParam, heartbeatParam, integerParam, messageHeaders, MIN_HEARTBEAT_MS, parseInteger } from '../../server/http-utils.js';
import { checkInteger } from '../../server/option-checks.js';
import { TextStreams, type TextFormat } from '../../server/text-stream.js';
import { SSE_HEARTBEAT, sseEvent, sseGap, sseRetry } from '../../server/wire.js';
import type { EndpointContext, EndpointRoute, TransportEndpoint } from '../module.js';

export interface SseServerOptions {
  /** Value of the `retry:` field sent first on every stream (the client's reconnect delay), ms. */
  retryMs: number;
  /** Interval of `: hb` comments on an idle stream; 0 = off. Per connection: `&heartbeat=MS`. */
  heartbeatMs: number;
}

export const SSE_SERVER_DEFAULTS: SseServerOptions = { retryMs: 1000, heartbeatMs: 0 };

/** `name`: the transport whose options these are (sse-h2 serves the same endpoint). */
export function checkSseServerOptions(o: SseServerOptions, name = 'sse'): void {
  checkInteger(`transports.${name}.retryMs`, o.retryMs, 0, 2 ** 31 - 1);
  if (o.heartbeatMs !== 0) checkInteger(`transports.${name}.heartbeatMs`, o.heartbeatMs, MIN_HEARTBEAT_MS, 3_600_000);
}

type Context = EndpointContext<SseServerOptions>;

const MAX_INTERVAL_MS = 3_600_000;

const SSE_FORMAT: TextFormat = { event: sseEvent, gap: sseGap, heartbeat: SSE_HEARTBEAT };

/** GET /sse: one text/event-stream per request, its events, gaps and heartbeats spelled as SSE (text-stream.ts does the rest). */
export class SseEndpoint implements TransportEndpoint {
  private readonly streams: TextStreams;
  readonly routes: readonly EndpointRoute[] = [{ path: '/sse', method: 'GET', query: 'client=ID', handle: (req, res, query) => this.handle(req, res, query) }];

  constructor(private readonly ctx: Context) {
    this.streams = new TextStreams(ctx.server, ctx.counters, SSE_FORMAT);
  }

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

    res.writeHead(
      200,
      // Connection: keep-alive is HTTP/1.x only; messageHeaders drops it from an HTTP/2 answer.
      messageHeaders(res, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        // nginx and friends buffer responses unless told not to; a buffered stream is not a stream.
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      }),
    );
    res.write(sseRetry(retryMs));
    this.streams.open(res, client, cursor, heartbeatMs);
  }

  /** Ends every stream (server shutdown or POST /reset). */
  closeAll(): void {
    this.streams.closeAll();
  }
}
