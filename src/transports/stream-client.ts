import type { Client, Dispatcher } from 'undici';
import { preview } from './events.js';
import { createHttpConnection, destroyConnection, errorDetail, isConnectError, isRetryableStatus, statusDetail } from './http-connection.js';
import { ClientLifecycle } from './lifecycle.js';
import { HandlerGate, leaveConnection, OpenSockets, type OfflineHow } from './offline.js';
import { HttpSender } from './chat-send.js';
import type { ChatMessage, ClientContext, SendReceipt, TransportClient } from './types.js';

/** With heartbeats on, this many missed heartbeats mean the stream is dead. */
const MISSED_HEARTBEATS = 3;
const STREAM_DECODE = { stream: true } as const;
const MAX_ERROR_BODY = 1_024;

/** The words of one held-stream transport (SSE, HTTP streaming): what StreamClient asks and how it reads. */
export interface StreamReader {
  /** Names the stream in failure reports, e.g. `SSE stream`. */
  readonly name: string;
  /** The Content-Type a 200 carries when it is this stream, e.g. `text/event-stream`. */
  readonly contentType: string;
  /** Path and query of the next connect (with the cursor, when the query carries it). */
  path(): string;
  /** Headers of the next connect (with the cursor, when a header carries it). */
  headers(): Record<string, string>;
  /** A new connection: what the last one left half-read is dropped. */
  reset(): void;
  /** The decoded text of one body chunk, read at receivedNs: its events go to the sink. */
  feed(text: string, receivedNs: bigint): void;
  /** Wait before reconnecting after an open stream dropped, ms (SSE: the server's `retry:`); null: a short jittered pause. */
  reconnectMs(): number | null;
}

/** A connection several clients share (HTTP/2): each holds one stream on it; the last to release it closes it. */
export interface SharedConnection {
  client: Client;
  release(): Promise<void>;
}

/**
 * A client that holds one streaming GET open (SSE, HTTP streaming) and reads its body as it
 * comes, with undici's dispatch API; the reader says what is asked and what the text means.
 * When the stream drops, it reconnects from its cursor (after the reader's delay). Each connect
 * counts as a request. start() resolves when the first stream opens (200 with the reader's
 * Content-Type). With heartbeats on, a stream silent for three heartbeats is treated as dropped
 * (undici's body timeout). Back from offline after `close`, it reconnects at once from its
 * cursor; after `silent`, it reads on where it stopped.
 */
export class StreamClient implements TransportClient, Dispatcher.DispatchHandler {
  private readonly lifecycle: ClientLifecycle;
  private readonly http: Client;
  /** Its own connection: the stream holds the other (or, on a shared HTTP/2 connection, a stream of its own beside). */
  private readonly sender: HttpSender;
  /** The request of the stream in flight: on a shared connection, cancelling it (RST_STREAM) is how this client lets go. */
  private controller: Dispatcher.DispatchController | undefined;
  private readonly sockets = new OpenSockets();
  private readonly gate = new HandlerGate(this);
  /** A request dispatched and not yet ended or failed. */
  private inFlight = false;
  /** The stream open when the client went offline with `close`: nothing more is read from it. */
  private abandoned = false;
  private decoder = new TextDecoder();
  private path = '';
  private attemptStartNs = 0n;
  private status = 0;
  private streaming = false;
  private errorBody = '';
  private closed: Promise<void> | undefined;

  /** `shared`: a connection others hold streams on too (HTTP/2); absent, the client opens its own. */
  constructor(
    private readonly ctx: ClientContext<{ heartbeatMs: number | null }>,
    private readonly reader: StreamReader,
    private readonly shared?: SharedConnection,
  ) {
    this.lifecycle = new ClientLifecycle(ctx, () => void this.closeResources());
    if (shared) {
      this.http = shared.client;
      this.sender = new HttpSender(ctx, shared.client);
      return;
    }
    const heartbeatMs = ctx.settings.heartbeatMs;
    this.http = createHttpConnection({
      baseUrl: ctx.baseUrl,
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      meter: ctx.meter,
      sockets: this.sockets,
      headersTimeoutMs: 30_000,
      // Without heartbeats a quiet stream is normal: no body timeout at all.
      bodyTimeoutMs: heartbeatMs === null ? 0 : heartbeatMs * MISSED_HEARTBEATS,
    });
    this.sender = new HttpSender(ctx);
  }

  send(message: ChatMessage): Promise<SendReceipt> {
    return this.sender.send(message);
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
    // On a shared connection only this client's stream goes: cancelled, the others carry on.
    if (this.shared && how === 'close') {
      if (this.inFlight) this.abandoned = true;
      this.controller?.abort(new Error('offline'));
      return;
    }
    if (leaveConnection(how, this.sockets, this.gate, this.inFlight)) this.abandoned = true;
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'silent') return this.gate.release();
    if (how !== 'close') return;
    this.sockets.dropEnded();
    if (!this.inFlight && this.lifecycle.active) this.connect();
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, unknown>): void {
    this.status = statusCode;
    const contentType = headers['content-type'];
    this.streaming = statusCode === 200 && typeof contentType === 'string' && contentType.startsWith(this.reader.contentType);
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
    const receivedNs = process.hrtime.bigint();
    this.ctx.consume?.read(chunk.length, receivedNs);
    this.reader.feed(this.decoder.decode(chunk, STREAM_DECODE), receivedNs);
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
        ? `GET ${this.path.split('?', 1)[0]} answered 200 without ${this.reader.contentType}: ${preview(this.errorBody)}`
        : statusDetail(this.path, this.status, this.errorBody);
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
    this.reader.reset();
    this.decoder = new TextDecoder();
    this.path = this.reader.path();
    this.inFlight = true;
    this.http.dispatch({ method: 'GET', path: this.path, headers: this.reader.headers() }, this.gate);
  }

  /** A stream that was open ended: report it, then resume from the cursor after the reader's delay. */
  private dropped(detail: string): void {
    this.streaming = false;
    this.ctx.sink.failure(this.ctx.clientIndex, 'disconnect', `${this.reader.name} dropped: ${detail}`);
    const delayMs = this.reader.reconnectMs();
    if (delayMs === null) this.lifecycle.reconnectSoon(this.reconnect);
    else this.lifecycle.retryAfter(delayMs, this.reconnect);
  }

  /** Its own connection is destroyed; on a shared one only its stream is cancelled, and the connection released. */
  private closeResources(): Promise<void> {
    if (this.closed) return this.closed;
    if (this.shared) this.controller?.abort(new Error('stopped'));
    const connection = this.shared ? this.shared.release() : destroyConnection(this.http);
    this.closed = Promise.all([connection, this.sender.close()]).then(() => undefined);
    return this.closed;
  }
}
