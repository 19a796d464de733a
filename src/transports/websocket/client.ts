import { connect as netConnect, type NetConnectOpts, type Socket } from 'node:net';
import WebSocket from 'ws';
import { preview } from '../events.js';
import { ClientLifecycle } from '../lifecycle.js';
import type { OfflineHow } from '../offline.js';
import type { SocketMeter } from '../socket-meter.js';
import { parseReceipt } from '../chat-send.js';
import type { ChatMessage, ClientContext, SendReceipt, TransportClient } from '../types.js';
import { rawDataText } from './raw-data.js';
import type { SocketWire } from '../wire.js';
import { ContractSocketWire } from './contract-wire.js';
import type { WebSocketSettings } from './settings.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long stop() waits for the closing handshake before cutting the socket. */
const CLOSE_GRACE_MS = 1_000;
/** A message the server has not acknowledged by then has failed (the same bound as an HTTP send's). */
const SEND_TIMEOUT_MS = 10_000;

interface PendingSend {
  resolve(receipt: SendReceipt): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * WebSocket with the ws client: GET /ws?client=ID&after=CURSOR (or its dialect's words, see wire.ts), one text frame per event.
 * permessage-deflate only when the scenario switches compression on (ws offers it by default).
 * On an unexpected close the client reconnects with after = its cursor. The handshake counts as
 * a request; start() resolves on the first open. Offline with `close` it sends a close frame and
 * reconnects with after = its cursor at its return; `silent` pauses the socket (ws reads nothing,
 * so it answers no ping) and resumes it at the return.
 */
export function createWebSocketClient(ctx: ClientContext<WebSocketSettings>): TransportClient {
  return new WebSocketClient(ctx);
}

class WebSocketClient implements TransportClient {
  private readonly lifecycle: ClientLifecycle;
  private readonly wire: SocketWire;
  private readonly createConnection: (options: NetConnectOpts) => Socket;
  private socket: WebSocket | undefined;
  private attemptStartNs = 0n;
  private opened = false;
  private rejectedStatus = 0;
  private lastError: Error | undefined;
  /** Messages ws still emitted after pause() (it empties what it had read): seen at the return. */
  private readonly heldMessages: Array<{ data: WebSocket.RawData; isBinary: boolean }> = [];
  /** Chat messages sent up and not yet acknowledged, by the id the client gave them. */
  private readonly pendingSends = new Map<number, PendingSend>();
  private nextSendId = 1;

  constructor(private readonly ctx: ClientContext<WebSocketSettings>) {
    this.lifecycle = new ClientLifecycle(ctx, () => this.terminate());
    this.wire = ctx.dialect?.socket?.(ctx) ?? new ContractSocketWire(ctx);
    this.createConnection = meteredNetConnect(ctx.meter);
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    this.connect();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    const socket = this.socket;
    if (socket === undefined) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (socket.readyState === WebSocket.OPEN) {
      socket.close(1000);
      const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    } else {
      socket.terminate();
      await closed;
    }
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    const socket = this.socket;
    if (socket === undefined) return;
    if (how === 'silent') return socket.pause();
    // Forget this connection: a closing client reads nothing more (browsers drop messages once
    // closing), so its events come again from the cursor when it returns.
    this.socket = undefined;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'offline');
    else socket.terminate();
  }

  /**
   * A chat message goes up the same socket as a `send` frame; the server acknowledges it with a
   * `sent` frame (or `sendError`, with the status POST /send would answer) carrying its id.
   */
  send(message: ChatMessage): Promise<SendReceipt> {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the WebSocket is not open'));
    const id = this.nextSendId++;
    return new Promise<SendReceipt>((resolve, reject) => {
      const timer = setTimeout(() => this.settleSend(id, new Error(`no answer to send ${id} within ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS);
      this.pendingSends.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ send: { id, room: message.room, t: message.intendedNs.toString(), p: message.text } }));
      this.ctx.sink.frame(this.ctx.clientIndex, 'up', false);
    });
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'close' && this.socket === undefined && this.lifecycle.active) return this.connect();
    if (how !== 'silent') return;
    while (this.heldMessages.length > 0 && this.lifecycle.offline === null) {
      const held = this.heldMessages.shift()!;
      this.onMessage(held.data, held.isBinary);
    }
    this.socket?.resume();
  }

  private connect(): void {
    this.attemptStartNs = process.hrtime.bigint();
    this.opened = false;
    this.rejectedStatus = 0;
    this.lastError = undefined;
    const socket = new WebSocket(this.wire.url(), [...this.wire.protocols], {
      perMessageDeflate: this.ctx.settings.compression,
      createConnection: this.createConnection as never,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      ...(this.ctx.localAddress === undefined ? {} : { localAddress: this.ctx.localAddress }),
    });
    this.socket = socket;
    socket.on('upgrade', this.onUpgrade);
    socket.on('unexpected-response', this.onUnexpectedResponse);
    socket.on('open', this.onOpen);
    socket.on('message', this.onMessage);
    socket.on('ping', this.onPing);
    socket.on('pong', this.onPong);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private readonly onUpgrade = (): void => {
    this.ctx.sink.request(this.ctx.clientIndex, 'events');
  };

  /** Refused handshake (4xx/5xx): counted as an answered request, then the attempt is cut. */
  private readonly onUnexpectedResponse = (_request: unknown, response: { statusCode?: number }): void => {
    this.rejectedStatus = response.statusCode ?? 0;
    this.ctx.sink.request(this.ctx.clientIndex, 'failed');
    this.socket?.terminate();
  };

  private readonly onOpen = (): void => {
    this.opened = true;
    this.lifecycle.connected(this.attemptStartNs);
  };

  private readonly onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (this.lifecycle.offline === 'silent') {
      this.heldMessages.push({ data, isBinary });
      return;
    }
    this.handleMessage(data);
    // A slow client: ws stops reading the socket while paused, so the server feels it (never resumed while silent).
    this.ctx.consume?.holdReading(
      () => this.socket?.pause(),
      () => this.lifecycle.offline === null && this.socket?.resume(),
    );
  };

  private handleMessage(data: WebSocket.RawData): void {
    const receivedNs = process.hrtime.bigint();
    const text = rawDataText(data);
    this.ctx.consume?.read(text.length, receivedNs);
    if (this.pendingSends.size > 0 && (text.startsWith('{"sent":') || text.startsWith('{"sendError":'))) {
      this.settleSendFrame(text);
      this.ctx.sink.frame(this.ctx.clientIndex, 'down', false);
      return;
    }
    const carriedEvent = this.wire.message(text, receivedNs);
    this.ctx.sink.frame(this.ctx.clientIndex, 'down', false, carriedEvent);
  }

  /** ws answers pings itself (autoPong), so a ping down means a pong up. */
  private readonly onPing = (): void => {
    this.ctx.sink.frame(this.ctx.clientIndex, 'down', true);
    this.ctx.sink.frame(this.ctx.clientIndex, 'up', true);
  };

  private readonly onPong = (): void => {
    this.ctx.sink.frame(this.ctx.clientIndex, 'down', true);
  };

  private readonly onError = (error: Error): void => {
    this.lastError ??= error;
  };

  private readonly onClose = (code: number, reason: Buffer): void => {
    this.socket = undefined;
    for (const id of [...this.pendingSends.keys()]) this.settleSend(id, new Error(`the WebSocket closed (${code}) before the server answered send ${id}`));
    if (!this.lifecycle.active) return;
    if (this.opened) {
      const text = reason.length > 0 ? ` ${preview(reason.toString())}` : '';
      this.ctx.sink.failure(this.ctx.clientIndex, 'disconnect', `WebSocket closed ${code}${text}`);
      this.lifecycle.reconnectSoon(this.reconnect);
      return;
    }
    this.handshakeFailed();
  };

  /** A `sent` or `sendError` frame: settles the send it names. */
  private settleSendFrame(text: string): void {
    let frame: { sent?: { id?: unknown }; sendError?: { id?: unknown; status?: unknown; message?: unknown } } | undefined;
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      frame = undefined;
    }
    const id = frame?.sent?.id ?? frame?.sendError?.id;
    if (typeof id !== 'number' || !this.pendingSends.has(id)) {
      this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', `an answer to no message the client sent: ${preview(text)}`);
      return;
    }
    if (frame?.sent) {
      const receipt = parseReceipt(frame.sent);
      this.settleSend(id, receipt ?? new Error(`a "sent" frame without {recipients, publishedAt}: ${preview(text)}`));
    } else {
      const refusal = frame?.sendError;
      this.settleSend(id, new Error(`send ${id} refused with ${String(refusal?.status)}: ${String(refusal?.message)}`));
    }
  }

  private settleSend(id: number, outcome: SendReceipt | Error): void {
    const pending = this.pendingSends.get(id);
    if (!pending) return;
    this.pendingSends.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof Error) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private handshakeFailed(): void {
    const status = this.rejectedStatus;
    if (status !== 0) {
      const retryable = status >= 500 || status === 429 || status === 408;
      this.lifecycle.failed('request', `GET /ws answered ${status}`, retryable, this.reconnect);
      return;
    }
    const error = this.lastError;
    const code = (error as { code?: unknown } | undefined)?.code;
    const detail = error === undefined ? 'closed during the handshake' : `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
    this.lifecycle.failed('connect', detail, true, this.reconnect);
  }

  private readonly reconnect = (): void => this.connect();

  private terminate(): void {
    this.socket?.terminate();
  }
}

/**
 * ws creates the socket through `createConnection` inside http.request, before the handshake
 * request is written (ws/lib/websocket.js initAsClient), so the meter counts the handshake.
 * `path` must be cleared: http.request passes the URL path along, and net.connect would read
 * it as an IPC socket path (ws's own netConnect does the same).
 */
function meteredNetConnect(meter: SocketMeter): (options: NetConnectOpts) => Socket {
  return (options) => {
    const socket = netConnect({ ...options, path: undefined } as NetConnectOpts);
    meter.track(socket);
    return socket;
  };
}
