import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import type { Client, Dispatcher } from 'undici';
import { preview } from '../events.js';
import { createHttpConnection, destroyConnection, errorDetail, isConnectError, isRetryableStatus, statusDetail } from '../http-connection.js';
import { ClientLifecycle } from '../lifecycle.js';
import { HandlerGate, leaveConnection, OpenSockets, type OfflineHow } from '../offline.js';
import type { ClientContext, TransportClient } from '../types.js';
import type { StreamWire } from '../wire.js';
import { ContractStreamWire } from './contract-wire.js';
import type { SseSettings } from './settings.js';

/** Until the server's `retry:` says otherwise (browsers use a few seconds). */
const DEFAULT_RETRY_MS = 1_000;
/** With heartbeats on, this many missed heartbeats mean the stream is dead. */
const MISSED_HEARTBEATS = 3;
const STREAM_DECODE = { stream: true } as const;
const MAX_ERROR_BODY = 1_024;

/**
 * Server-Sent Events: a streaming GET /sse?client=ID (or its dialect's words, see wire.ts) parsed with eventsource-parser. When the
 * stream drops, the client reconnects after the server's `retry:` with `Last-Event-ID` set to
 * its cursor, as EventSource does. Each connect counts as a request. start() resolves when the
 * first stream opens (200 text/event-stream). With heartbeats on, a stream silent for three
 * heartbeats is treated as dropped (undici's body timeout). Back from offline after `close`, it
 * reconnects at once with `Last-Event-ID`; after `silent`, it reads on where it stopped.
 */
export function createSseClient(ctx: ClientContext<SseSettings>): TransportClient {
  return new SseClient(ctx);
}

class SseClient implements TransportClient, Dispatcher.DispatchHandler {
  private readonly lifecycle: ClientLifecycle;
  private readonly http: Client;
  private readonly parser: EventSourceParser;
  private readonly wire: StreamWire;
  private readonly sockets = new OpenSockets();
  private readonly gate = new HandlerGate(this);
  /** A request dispatched and not yet ended or failed. */
  private inFlight = false;
  /** The stream open when the client went offline with `close`: nothing more is read from it. */
  private abandoned = false;
  private decoder = new TextDecoder();
  private retryMs = DEFAULT_RETRY_MS;
  private attemptStartNs = 0n;
  private status = 0;
  private streaming = false;
  private errorBody = '';
  private chunkReceivedNs = 0n;
  private closed: Promise<void> | undefined;

  constructor(private readonly ctx: ClientContext<SseSettings>) {
    this.lifecycle = new ClientLifecycle(ctx, () => void this.closeResources());
    const heartbeatMs = ctx.settings.heartbeatMs;
    this.wire = ctx.dialect?.stream?.(ctx) ?? new ContractStreamWire(ctx);
    this.http = createHttpConnection({
      baseUrl: ctx.baseUrl,
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      meter: ctx.meter,
      sockets: this.sockets,
      headersTimeoutMs: 30_000,
      // Without heartbeats a quiet stream is normal: no body timeout at all.
      bodyTimeoutMs: heartbeatMs === null ? 0 : heartbeatMs * MISSED_HEARTBEATS,
    });
    this.parser = createParser({
      onEvent: (message) => this.wire.message(message, this.chunkReceivedNs),
      onRetry: (retryMs) => {
        this.retryMs = retryMs;
      },
      onError: (error) => this.onParseError(error),
    });
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    this.connect();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.closeResources();
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    if (leaveConnection(how, this.sockets, this.gate, this.inFlight)) this.abandoned = true;
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'silent') return this.gate.release();
    if (how !== 'close') return;
    this.sockets.dropEnded();
    if (!this.inFlight && this.lifecycle.active) this.connect();
  }

  /** Present so undici treats this as a new-style (controller) handler. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, unknown>): void {
    this.status = statusCode;
    const contentType = headers['content-type'];
    this.streaming = statusCode === 200 && typeof contentType === 'string' && contentType.startsWith('text/event-stream');
    if (!this.streaming || !this.lifecycle.active) return;
    this.ctx.sink.request(this.ctx.clientIndex, 'events');
    this.lifecycle.connected(this.attemptStartNs);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // Closed by going offline: what still arrives before the FIN exchange ends is not read (its
    // events come again from the cursor at the return), even once the client is back.
    if (this.abandoned) return;
    if (!this.streaming) {
      if (this.errorBody.length < MAX_ERROR_BODY) this.errorBody += chunk.toString();
      return;
    }
    this.chunkReceivedNs = process.hrtime.bigint();
    this.ctx.consume?.read(chunk.length, this.chunkReceivedNs);
    this.parser.feed(this.decoder.decode(chunk, STREAM_DECODE));
    // A slow client: undici's parser stops reading the socket while paused, so the server feels it (never resumed while silent).
    this.ctx.consume?.holdReading(
      () => controller.pause(),
      () => this.lifecycle.offline === null && controller.resume(),
    );
  }

  onResponseEnd(): void {
    this.inFlight = false;
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    if (this.streaming) return this.dropped('the server ended the stream');
    this.ctx.sink.request(this.ctx.clientIndex, 'failed');
    const detail =
      this.status === 200
        ? `GET /sse answered 200 without text/event-stream: ${preview(this.errorBody)}`
        : statusDetail(this.wire.path, this.status, this.errorBody);
    const kind = this.status === 200 ? 'protocol' : 'request';
    this.lifecycle.failed(kind, detail, isRetryableStatus(this.status), this.reconnect);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.inFlight = false;
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    if (this.streaming) return this.dropped(errorDetail(error));
    const kind = isConnectError(error) ? 'connect' : 'request';
    this.lifecycle.failed(kind, errorDetail(error), true, this.reconnect);
  }

  private readonly reconnect = (): void => this.connect();

  /** An abandoned stream ended: if the client came back meanwhile, the reconnect its return skipped goes now. */
  private settledAbandoned(): boolean {
    if (!this.abandoned) return false;
    this.abandoned = false;
    this.streaming = false;
    if (this.lifecycle.active && this.lifecycle.offline === null) this.connect();
    return true;
  }

  private connect(): void {
    this.attemptStartNs = process.hrtime.bigint();
    this.status = 0;
    this.streaming = false;
    this.errorBody = '';
    this.parser.reset();
    this.decoder = new TextDecoder();
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache', ...this.wire.headers() };
    this.inFlight = true;
    this.http.dispatch({ method: 'GET', path: this.wire.path, headers }, this.gate);
  }

  /** A stream that was open ended: report it, then resume after the server's retry delay. */
  private dropped(detail: string): void {
    this.streaming = false;
    this.ctx.sink.failure(this.ctx.clientIndex, 'disconnect', `SSE stream dropped: ${detail}`);
    this.lifecycle.retryAfter(this.retryMs, this.reconnect);
  }

  private onParseError(error: ParseError): void {
    this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', `SSE parse error (${error.type}): ${error.message}`);
  }

  private closeResources(): Promise<void> {
    this.closed ??= destroyConnection(this.http);
    return this.closed;
  }
}
