import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SharedEvent } from './client-log.js';
import type { ServerContext } from './context.js';
import { toHttpError } from './errors.js';
import { flagParam, integerParam, rejectUpgrade } from './http-utils.js';
import { clientAndCursor } from './poll.js';
import type { Client } from './store.js';
import { StreamPump, type StreamSink } from './stream-pump.js';
import { eventJson, wsGap } from './wire.js';

const MAX_INTERVAL_MS = 3_600_000;
/** Close code for a server going away (shutdown, POST /reset). */
const GOING_AWAY = 1001;

/**
 * GET /ws (upgrade). Parameters are checked before the handshake so that a bad request gets a
 * plain HTTP status; malformed frames are refused by `ws` itself with 1002 / 1007 / 1009.
 * Two ws servers differ only in permessage-deflate, so one process can serve both settings.
 */
export class WebSocketEndpoint {
  private readonly plain: WebSocketServer;
  private readonly deflating: WebSocketServer;
  private readonly connections = new Set<WsConnection>();

  constructor(private readonly ctx: ServerContext) {
    const common = { noServer: true, clientTracking: false, maxPayload: ctx.options.websocket.maxFrameBytes } as const;
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
      ({ client, cursor } = clientAndCursor(this.ctx, query));
      heartbeatMs = integerParam(query, 'heartbeat', options.websocket.heartbeatMs, MAX_INTERVAL_MS);
      compress = flagParam(query, 'compress', options.websocket.compression);
    } catch (err) {
      rejectUpgrade(socket, toHttpError(err));
      return;
    }
    const server = compress ? this.deflating : this.plain;
    server.handleUpgrade(req, socket, head, (ws) => {
      const connection = new WsConnection(this.ctx, ws, socket as Socket, client, cursor, heartbeatMs, () =>
        this.connections.delete(connection),
      );
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

class WsConnection implements StreamSink {
  private readonly pump: StreamPump;
  private heartbeat: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly ctx: ServerContext,
    private readonly ws: WebSocket,
    private readonly socket: Socket,
    client: Client,
    cursor: number,
    heartbeatMs: number,
    private readonly onClosed: () => void,
  ) {
    const counters = ctx.stats.channels.websocket;
    this.pump = new StreamPump(client, cursor, this, ctx.options.slowConsumer, counters);
    this.closedPromise = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.once('close', () => this.cleanup());
    // ws closes the connection itself on protocol errors (1002/1007/1009); the event must be handled.
    ws.on('error', () => undefined);
    // Clients send nothing; anything they do send is read (and counted in bytes) and ignored.
    if (heartbeatMs > 0) {
      ws.on('pong', () => {
        this.awaitingPong = false;
      });
      this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    }
  }

  start(): void {
    this.pump.open(this.ctx.store);
  }

  goAway(): Promise<void> {
    if (!this.closed) {
      this.ws.close(GOING_AWAY, 'server closing');
      // A peer that does not answer the close frame must not hold the shutdown.
      const timer = setTimeout(() => this.ws.terminate(), 1000);
      void this.closedPromise.then(() => clearTimeout(timer));
    }
    return this.closedPromise;
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

  beginBatch(): void {
    // One TCP write for a batch of frames instead of one per frame.
    this.socket.cork();
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
    this.socket.uncork();
  }

  drop(): void {
    this.ws.terminate();
    this.cleanup();
  }

  private beat(): void {
    if (this.awaitingPong) {
      this.ctx.stats.channels.websocket.heartbeatTimeouts++;
      this.drop();
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump.close(this.ctx.store);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.onClosed();
  }
}
