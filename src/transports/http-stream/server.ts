import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAndCursor } from '../../server/cursor.js';
import { heartbeatParam, MIN_HEARTBEAT_MS } from '../../server/http-utils.js';
import { checkInteger } from '../../server/option-checks.js';
import { TextStreams, type TextFormat } from '../../server/text-stream.js';
import { NDJSON_HEARTBEAT, ndjsonEvent, ndjsonGap } from '../../server/wire.js';
import type { EndpointContext, EndpointRoute, TransportEndpoint } from '../module.js';

export interface HttpStreamServerOptions {
  /** Interval of empty lines on an idle stream; 0 = off. Per connection: `&heartbeat=MS`. */
  heartbeatMs: number;
}

export const HTTP_STREAM_SERVER_DEFAULTS: HttpStreamServerOptions = { heartbeatMs: 0 };

export function checkHttpStreamServerOptions(o: HttpStreamServerOptions): void {
  if (o.heartbeatMs !== 0) checkInteger('transports.http-stream.heartbeatMs', o.heartbeatMs, MIN_HEARTBEAT_MS, 3_600_000);
}

const NDJSON_FORMAT: TextFormat = { event: ndjsonEvent, gap: ndjsonGap, heartbeat: NDJSON_HEARTBEAT };

/**
 * GET /stream: one chunked application/x-ndjson body per request, a line per event or gap
 * marker, empty lines as heartbeats (text-stream.ts does the pumping). The cursor travels in
 * `after` only: a fetch() reader has no Last-Event-ID of its own.
 */
export class HttpStreamEndpoint implements TransportEndpoint {
  private readonly streams: TextStreams;
  readonly routes: readonly EndpointRoute[] = [
    { path: '/stream', method: 'GET', query: 'client=ID&after=SEQ', handle: (req, res, query) => this.handle(req, res, query) },
  ];

  constructor(private readonly ctx: EndpointContext<HttpStreamServerOptions>) {
    this.streams = new TextStreams(ctx.server, ctx.counters, NDJSON_FORMAT);
  }

  handle(_req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const { client, cursor } = clientAndCursor(this.ctx.server, query);
    const heartbeatMs = heartbeatParam(query, this.ctx.options.heartbeatMs);
    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson',
      'Cache-Control': 'no-store',
      // nginx and friends buffer responses unless told not to; a buffered stream is not a stream.
      'X-Accel-Buffering': 'no',
    });
    // Nothing may follow for a while (no catch-up, no events yet): the client learns the stream is open now.
    res.flushHeaders();
    this.streams.open(res, client, cursor, heartbeatMs);
  }

  closeAll(): void {
    this.streams.closeAll();
  }
}
