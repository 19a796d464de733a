import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SharedEvent } from '../../server/client-log.js';
import { clientAndCursor } from '../../server/cursor.js';
import { HttpError, toHttpError } from '../../server/errors.js';
import { flagParam, heartbeatParam, MIN_HEARTBEAT_MS, rejectUpgrade } from '../../server/http-utils.js';
import { checkBoolean, checkInteger } from '../../server/option-checks.js';
import type { Client } from '../../server/store.js';
import { StreamPump, type StreamSink } from '../../server/stream-pump.js';
import { eventJson, wsGap } from '../../server/wire.js';
import { sendMessage } from '../../server/chat.js';
import { rawDataText } from './raw-data.js';
import type { EndpointContext, EndpointRoute, TransportEndpoint } from '../module.js';

export interface WebSocketServerOptions {
  /** Interval of server pings; a connection that missed the previous pong is closed. 0 = off. Per connection: `&heartbeat=MS`. */
  heartbeatMs: number;
  /** Accept permessage-deflate when the client offers it. Per connection: `&compress=0|1`. */
  compression: boolean;
  /** Largest frame a client may send; larger frames close the connection with 1009. */
  maxFrameBytes: number;
}

export const WEBSOCKET_SERVER_DEFAULTS: WebSocketServerOptions = { heartbeatMs: 0, compression: false, maxFrameBytes: 64 * 1024 };

export function checkWebSocketServerOptions(o: WebSocketServerOptions): void {
  if (o.heartbeatMs !== 0) checkInteger('transports.websocket.heartbeatMs', o.heartbeatMs, MIN_HEARTBEAT_MS, 3_600_000);
  checkInteger('transports.websocket.maxFrameBytes', o.maxFrameBytes, 1, 2 ** 31);
  checkBoolean('transports.websocket.compression', o.compression);
}

type Context = EndpointContext<WebSocketServerOptions>;

/** Close code for a server going away (shutdown, POST /reset). */
const GOING_AWAY = 1001;

/**
 * GET /ws (upgrade). Parameters are checked before the handshake so that a bad request gets a
 * plain HTTP status; malformed frames are refused by `ws` itself with 1002 / 1007 / 1009.
 * Two ws servers differ only in permessage-deflate, so one process can serve both settings.
 */
export class WebSocketEndpoint implements TransportEndpoint {
  private readonly plain: WebSocketServer;
  private readonly deflating: WebSocketServer;
  private readonly connections = new Set<WsConnection>();
  /** A plain GET is told to upgrade (the route is not listed: the upgrade is the endpoint). */
  readonly routes: readonly EndpointRoute[] = [{ path: '/ws', method: 'GET', handle: () => upgradeRequired() }];
  readonly upgrade = {
    path: '/ws',
    query: 'client=ID&after=SEQ',
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams) => this.handleUpgrade(req, socket, head, query),
  };

  constructor(private readonly ctx: Context) {
    const common = { noServer: true, clientTracking: false, maxPayload: ctx.options.maxFrameBytes } as const;
    this.plain = new WebSocketServer({ ...common, perMessageDeflate: false });
    this.deflating = new WebSocketServer({ ...common, perMessageDeflate: true });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams): void {
    const { options } = this.ctx;
    let client: Client;
    let cursor: number;
    let heartbeatMs: number;
    let compress: boolean;
    try {
      ({ client, cursor } = clientAndCursor(this.ctx.server, query));
      heartbeatMs = heartbeatParam(query, options.heartbeatMs);
      compress = flagParam(query, 'compress', options.compression);
    } catch (err) {
      rejectUpgrade(socket, toHttpError(err));
      return;
    }
    const server = compress ? this.deflating : this.plain;
    server.handleUpgrade(req, socket, head, (ws) => {
      const connection = new WsConnection(this.ctx, ws, socket as Socket, client, cursor, heartbeatMs, this.connections);
      this.connections.add(connection);
      connection.start();
    });
  }

  /** Closes every connection with 1001 (server shutdown or POST /reset). */
  closeAll(): Promise<void> {
    const closing = [...this.connections].map((c) => c.goAway());
    return Promise.all(closing).then(() => undefined);
  }

  close(): void {
    this.plain.close();
    this.deflating.close();
  }
}

/** The connection a ws serves, for the listeners below. */
const CONNECTION = Symbol('connection');
type LinkedWebSocket = WebSocket & { [CONNECTION]: WsConnection };

/*
 * The listeners of every connection are these few shared functions, which find their connection
 * through the ws they are called on, rather than closures made per connection: at tens of
 * thousands of connections the closures and their contexts are a measurable part of the
 * server's memory per connection, which the benchmarks hold against a plain ws server.
 */
function connectionOf(ws: WebSocket): WsConnection {
  return (ws as LinkedWebSocket)[CONNECTION];
}

function onWsClose(this: WebSocket): void {
  connectionOf(this).cleanup();
}

/** ws closes the connection itself on protocol errors (1002/1007/1009); the event must be handled. */
function ignoreWsError(): void {}

/** A chat client sends its messages up as `send` frames; anything else is read (and counted in bytes) and ignored. */
function onWsMessage(this: WebSocket, data: WebSocket.RawData, isBinary: boolean): void {
  if (!isBinary) connectionOf(this).onText(rawDataText(data));
}

function onWsPong(this: WebSocket, data: Buffer): void {
  connectionOf(this).onPong(data);
}

class WsConnection implements StreamSink {
  private readonly pump: StreamPump;
  private heartbeat: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  /**
   * performance.now() of the open or the latest pong: what the server last heard from the client.
   * Only kept with heartbeats on: a double is a heap number of its own, memory per connection.
   */
  private lastHeardMs = 0;
  private closed = false;

  constructor(
    private readonly ctx: Context,
    private readonly ws: WebSocket,
    private readonly socket: Socket,
    private readonly client: Client,
    cursor: number,
    heartbeatMs: number,
    /** The endpoint's open connections: this one leaves it when it closes. */
    private readonly openConnections: Set<WsConnection>,
  ) {
    this.pump = new StreamPump(client, cursor, this, ctx.server.options.slowConsumer, ctx.counters);
    (ws as LinkedWebSocket)[CONNECTION] = this;
    ws.once('close', onWsClose);
    ws.on('error', ignoreWsError);
    ws.on('message', onWsMessage);
    if (heartbeatMs > 0) {
      this.lastHeardMs = performance.now();
      ws.on('pong', onWsPong);
      this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    }
  }

  start(): void {
    this.pump.open(this.ctx.server.store);
  }

  /** Closes with 1001; resolves once the connection is closed. Only at shutdown or reset, so its promise is made then, not per connection. */
  goAway(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(GOING_AWAY, 'server closing');
      // A peer that does not answer the close frame must not hold the shutdown.
      const timer = setTimeout(() => this.ws.terminate(), 1000);
    });
  }

  onPong(data: Buffer): void {
    this.awaitingPong = false;
    this.lastHeardMs = performance.now();
    this.ctx.counters.heartbeatBytes += MASKED_FRAME_HEADER_BYTES + data.length;
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  onceDrain(listener: () => void): void {
    this.socket.once('drain', listener);
  }

  beginBatch(writes: number): void {
    // One TCP write for a batch of frames instead of one per frame. A single frame is one write
    // anyway, and corking it would only send it the longer way (a vectored write of one).
    if (writes > 1) this.socket.cork();
  }

  writeGap(from: number, to: number): number {
    const text = wsGap(from, to);
    this.ws.send(text);
    return text.length;
  }

  writeEvent(seq: number, event: SharedEvent): number {
    const text = eventJson(seq, event);
    this.ws.send(text);
    return text.length;
  }

  endBatch(): void {
    // ws corks and uncorks around each frame it sends, so a cork still in place is this batch's.
    if (this.socket.writableCorked > 0) this.socket.uncork();
  }

  drop(): void {
    this.ws.terminate();
    this.cleanup();
  }

  /**
   * `{"send": {"id", "room", "t", "p"}}` → `{"sent": {"id", "event", "recipients", "publishedAt"}}`,
   * or `{"sendError": {"id", "status", "error", "message"}}` with the status POST /send would answer.
   */
  onText(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || !('send' in frame)) return;
    const { id = null, ...message } = (typeof frame.send === 'object' && frame.send !== null ? frame.send : {}) as Record<string, unknown>;
    try {
      const published = sendMessage(this.ctx.server, this.ctx.server.rooms, this.client, message);
      this.ws.send(JSON.stringify({ sent: { id, event: published.id, recipients: published.recipients, publishedAt: published.publishedAt } }));
    } catch (err) {
      const error = toHttpError(err);
      this.ws.send(JSON.stringify({ sendError: { id, status: error.status, ...error.toBody() } }));
    }
  }

  private beat(): void {
    if (this.awaitingPong) {
      this.ctx.counters.heartbeatTimeouts++;
      // How long the server kept a connection it no longer heard from: the half-open time it saw.
      const silentMs = performance.now() - this.lastHeardMs;
      this.ctx.counters.heartbeatSilenceMsTotal += silentMs;
      this.ctx.counters.heartbeatSilenceMsMax = Math.max(this.ctx.counters.heartbeatSilenceMsMax, silentMs);
      this.drop();
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
    this.ctx.counters.heartbeats++;
    this.ctx.counters.heartbeatBytes += PING_FRAME_BYTES;
  }

  cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.ctx.server.store);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.openConnections.delete(this);
  }
}

/**
 * ws may queue a frame behind a compressed one, so the socket's byte count cannot be read around
 * a ping; the frame sizes are fixed by the protocol instead: an empty ping from the server is a
 * 2-byte header, a client's pong carries a 4-byte mask besides its 2-byte header (and echoes the
 * ping's payload, none here).
 */
const PING_FRAME_BYTES = 2;
const MASKED_FRAME_HEADER_BYTES = 6;

function upgradeRequired(): never {
  throw new HttpError(426, 'upgrade_required', 'GET /ws is a WebSocket endpoint; connect with a WebSocket client.', undefined, {
    Upgrade: 'websocket',
  });
}
