import { createRequire } from 'node:module';
import { connect as connectTcp, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { Client, buildConnector, type Dispatcher } from 'undici';
import { HandlerGate, type OpenSockets } from './offline.js';
import type { SocketMeter } from './socket-meter.js';
import type { PullRequest } from './wire.js';

/**
 * HTTP for the polling, long-polling, SSE and HTTP streaming clients: one undici `Client` per simulated client,
 * i.e. one keep-alive connection, as a browser tab holds. undici rather than node:http because
 * its `connect` hook hands us each socket the moment it is created, before a byte is written,
 * so the meter sees request headers and all; and its dispatch API needs no stream or promise
 * per request.
 */

/** One connector for the process; each client wraps it to meter its own sockets. */
const baseConnector = buildConnector({ timeout: 10_000 });

export interface HttpConnectionOptions {
  baseUrl: string;
  localAddress?: string;
  meter: SocketMeter;
  /** undici: max wait for response headers (ms, 0 = none) */
  headersTimeoutMs: number;
  /** undici: max silence between body chunks (ms, 0 = none) */
  bodyTimeoutMs: number;
  /** called on every successful TCP connect (long polling reports its first connect from it) */
  onSocketConnected?: () => void;
  /** keeps the client's sockets, so that going offline can end them */
  sockets?: OpenSockets;
}

export function createHttpConnection(options: HttpConnectionOptions): Client {
  return new Client(options.baseUrl, {
    connect: meteredConnector(options.meter, (socket) => {
      options.sockets?.track(socket);
      options.onSocketConnected?.();
    }),
    ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    pipelining: 1,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    // Hold the connection as long as the server allows (its Keep-Alive hint still wins),
    // so an interval longer than undici's 4 s default does not cost a reconnect per poll.
    keepAliveTimeout: 600_000,
    keepAliveMaxTimeout: 600_000,
  });
}

/**
 * Tracks each socket in the connect callback: `bytesWritten`/`bytesRead` are totals over the
 * socket's life and undici writes nothing before that callback, so no byte is missed.
 */
function meteredConnector(meter: SocketMeter, onConnected: (socket: Socket) => void): buildConnector.connector {
  return (connectOptions, callback) => {
    baseConnector(connectOptions, (...args) => {
      const socket = args[1];
      // undici calls back with (error) alone on failure: the socket is undefined, not null.
      if (args[0] === null && socket) {
        meter.track(socket);
        onConnected(socket);
      }
      callback(...args);
    });
  };
}

export interface TlsConnectorOptions {
  /** PEM of the only authority trusted (the run's own; never the system store, never unverified). */
  ca: string;
  /** Offer h2 by ALPN (undici's Client needs allowH2 as well, and pipelining ≥ the streams it should run at once). */
  allowH2: boolean;
}

/**
 * undici 7's HTTP/2 client reads the socket of a session that has already let it go when the
 * connection closes without an error (a FIN, or a socket cut) and throws from an event handler,
 * which would end the whole client process (client-h2.js onHttp2SessionClose calls
 * util.getSocketInfo(null)). undici 8, which fixes its close handling, needs Node 22. Until then
 * its helper is made to answer for a missing socket; the error it builds then says 'closed', as it
 * would with the socket. undici is CommonJS, so this module object is the one client-h2.js uses.
 */
let undiciGuarded = false;
function guardUndiciH2Close(): void {
  if (undiciGuarded) return;
  undiciGuarded = true;
  const util = createRequire(import.meta.url)('undici/lib/core/util.js') as { getSocketInfo: (socket: Socket | null) => unknown };
  const getSocketInfo = util.getSocketInfo;
  util.getSocketInfo = (socket) => (socket ? getSocketInfo(socket) : {});
}

/**
 * One TLS context per trusted authority in a process: handed the PEM, tls.connect would parse it
 * into a new context for every connection, a millisecond of client CPU per handshake that a
 * browser (one context for all its connections) does not pay.
 */
const secureContexts = new Map<string, SecureContext>();
function secureContextFor(ca: string): SecureContext {
  let context = secureContexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca });
    secureContexts.set(ca, context);
  }
  return context;
}

/**
 * undici's connector for https, layered on a TCP socket opened here. The meter tracks that TCP
 * socket, so it counts what crosses the wire: TLS records and the handshake. The TLS socket's own
 * bytesRead/bytesWritten would give the plaintext (HTTP/1.1 text or HTTP/2 frames) instead.
 */
export function meteredTlsConnector(
  meter: SocketMeter,
  tls: TlsConnectorOptions,
  onConnected: (socket: Socket) => void = () => undefined,
): buildConnector.connector {
  if (tls.allowH2) guardUndiciH2Close();
  const tlsConnector = buildConnector({ timeout: 10_000, secureContext: secureContextFor(tls.ca), allowH2: tls.allowH2 });
  return (connectOptions, callback) => {
    const tcp = connectTcp({
      host: connectOptions.hostname,
      port: Number(connectOptions.port) || 443,
      noDelay: true,
      ...(connectOptions.localAddress ? { localAddress: connectOptions.localAddress } : {}),
    });
    // Tracked before a byte moves: the handshake counts.
    meter.track(tcp);
    tlsConnector({ ...connectOptions, httpSocket: tcp }, (...args) => {
      if (args[0] === null && args[1]) onConnected(tcp);
      else tcp.destroy();
      callback(...args);
    });
  };
}

/** What a whole-body GET ends with. */
export interface BodyReceiver {
  /** status, headers (lower-case names) and full body; receivedNs = when the last chunk arrived (bodies of one chunk: when it arrived) */
  answered(status: number, body: string, receivedNs: bigint, headers: Readonly<Record<string, unknown>>): void;
  /** no answer: refused, reset, timed out, aborted */
  broken(error: Error): void;
}

/**
 * Reads a whole (small) response body. One reader per client is reused for every request,
 * since a client has one request in flight at a time: no allocation per poll beyond the chunks.
 */
export class BodyReader implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Readonly<Record<string, unknown>> = {};
  private receivedNs = 0n;
  private readonly chunks: Buffer[] = [];
  /** Holds the response while the client is silent (offline.ts). */
  readonly gate = new HandlerGate(this);

  constructor(private readonly receiver: BodyReceiver) {}

  /** Send a GET with this reader as handler (must not be called while one is in flight). */
  get(client: Client, request: PullRequest): void {
    this.status = 0;
    this.chunks.length = 0;
    client.dispatch({ method: 'GET', path: request.path, ...(request.headers ? { headers: request.headers } : {}) }, this.gate);
  }

  /** Present so undici treats this as a new-style (controller) handler. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, unknown>): void {
    this.status = statusCode;
    this.headers = headers;
    this.receivedNs = process.hrtime.bigint();
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.receivedNs = process.hrtime.bigint();
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.chunks;
    const body = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString() : Buffer.concat(chunks).toString();
    chunks.length = 0;
    this.receiver.answered(this.status, body, this.receivedNs, this.headers);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.chunks.length = 0;
    this.receiver.broken(error);
  }
}

/** A 5xx or a 429 may heal; any other unexpected status will not by asking again. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** The failure text for an unexpected status: the status and the server's error body. */
export function statusDetail(path: string, status: number, body: string): string {
  const shortBody = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return `GET ${path.split('?', 1)[0]} answered ${status}${shortBody === '' ? '' : `: ${shortBody}`}`;
}

/** Close a connection now, aborting what is in flight (close() would wait for a held long-poll). */
export async function destroyConnection(client: Client): Promise<void> {
  if (client.destroyed) return;
  await client.destroy().catch(() => undefined);
}

const CONNECT_ERROR_CODES = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EADDRINUSE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Did the error happen before a connection existed (as opposed to on an open one)? */
export function isConnectError(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CONNECT_ERROR_CODES.has(code);
}

/** `CODE: message` for a failure report. */
export function errorDetail(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}
