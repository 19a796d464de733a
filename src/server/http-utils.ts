import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { badParameter, HttpError } from './errors.js';
import type { ClientLog } from './client-log.js';
import { CLIENT_ID_PATTERN } from './store.js';

export interface ParsedUrl {
  path: string;
  query: URLSearchParams;
}

/** Cheaper than `new URL()` on every poll, and never throws on odd input. */
export function parseRequestUrl(url: string | undefined): ParsedUrl {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: new URLSearchParams() } : { path: raw.slice(0, q), query: new URLSearchParams(raw.slice(q + 1)) };
}

/**
 * True when `res` answers over HTTP/2 (node:http2's compatibility API hands route handlers an
 * Http2ServerResponse shaped like a ServerResponse; its `stream` is the HTTP/2 stream).
 */
function isHttp2(res: ServerResponse): boolean {
  return (res as { stream?: unknown }).stream !== undefined;
}

/**
 * Headers that describe the connection rather than the message. HTTP/2 forbids them (node:http2
 * throws on them): the connection is the session's, not one response's.
 */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** `headers` as `res` may carry them: unchanged over HTTP/1.x, without connection-specific ones over HTTP/2. */
export function messageHeaders<T extends Record<string, string | number>>(res: ServerResponse, headers: T): T {
  if (!isHttp2(res)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase()))) as T;
}

/**
 * Whether a write must wait for 'drain'. The HTTP/2 compatibility response lacks
 * writableNeedDrain (Node 20); its stream has it, and the response re-emits the stream's 'drain'.
 */
export function needsDrain(res: ServerResponse): boolean {
  if (!isHttp2(res)) return res.writableNeedDrain;
  return (res as unknown as { stream: { writableNeedDrain: boolean } }).stream.writableNeedDrain;
}

export function sendJsonText(res: ServerResponse, status: number, json: string, extraHeaders?: Record<string, string>): void {
  const body = Buffer.from(json);
  res.writeHead(
    status,
    messageHeaders(res, {
      'Content-Type': 'application/json',
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
      ...extraHeaders,
    }),
  );
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

export function sendError(res: ServerResponse, err: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJsonText(res, err.status, JSON.stringify(err.toBody()), err.headers);
}

/** Refuses a WebSocket upgrade with a plain HTTP answer before any handshake happens. */
export function rejectUpgrade(socket: Duplex, err: HttpError): void {
  const body = JSON.stringify(err.toBody());
  const extra = err.headers
    ? Object.entries(err.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')
    : '';
  socket.end(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
  );
}

/** The `client` parameter: present once and well formed. */
export function clientIdParam(query: URLSearchParams): string {
  const values = query.getAll('client');
  if (values.length === 0) throw badParameter('client', 'Missing parameter client; add ?client=ID (ID matches [A-Za-z0-9_.-]{1,64}).');
  if (values.length > 1) throw badParameter('client', 'Parameter client given more than once; send it once.');
  const id = values[0]!;
  if (!CLIENT_ID_PATTERN.test(id)) {
    throw badParameter('client', `Client id ${JSON.stringify(id.slice(0, 80))} is invalid; use 1 to 64 characters from [A-Za-z0-9_.-].`);
  }
  return id;
}

const DIGITS = /^\d{1,15}$/;

/** An optional non-negative integer parameter (absent → fallback). */
export function integerParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return parseInteger(raw, name, max);
}

/**
 * Heartbeats faster than this cost more than they keep alive (1 ms heartbeats on 200 streams
 * took 0.7 of a core); no intermediary's idle timeout is shorter.
 */
export const MIN_HEARTBEAT_MS = 100;
const MAX_HEARTBEAT_MS = 3_600_000;

/** `&heartbeat=MS`: 0 = off, else MIN_HEARTBEAT_MS … 1 h. */
export function heartbeatParam(query: URLSearchParams, fallback: number): number {
  const ms = integerParam(query, 'heartbeat', fallback, MAX_HEARTBEAT_MS);
  if (ms > 0 && ms < MIN_HEARTBEAT_MS) throw badParameter('heartbeat', `heartbeat must be 0 (off) or at least ${MIN_HEARTBEAT_MS} ms, got ${ms}.`);
  return ms;
}

export function parseInteger(raw: string, name: string, max: number): number {
  if (!DIGITS.test(raw)) throw badParameter(name, `${name} must be a non-negative integer, got ${JSON.stringify(raw.slice(0, 40))}.`);
  const value = Number(raw);
  if (value > max) throw badParameter(name, `${name} must be at most ${max}, got ${value}.`);
  return value;
}

/** A cursor must not be ahead of what the client was ever sent (that would hide a reset or a bug). */
export function checkCursor(cursor: number, log: ClientLog, name: string): number {
  if (cursor > log.lastSeq) {
    throw badParameter(name, `${name}=${cursor} is ahead of the client's last sequence number ${log.lastSeq}; resume from a seq you received (or 0).`);
  }
  return cursor;
}

/** An optional boolean flag `0|1|true|false`. */
export function flagParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw badParameter(name, `${name} must be 0 or 1, got ${JSON.stringify(raw.slice(0, 40))}.`);
}

/**
 * Reads a request body of at most `limit` bytes. A larger body is refused with 413 as soon as it
 * is known (Content-Length, or the running count), and the connection is closed after the answer
 * rather than reading the rest.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): HttpError =>
      new HttpError(413, 'payload_too_large', `Request body is larger than ${limit} bytes; split it into smaller requests.`, undefined, {
        Connection: 'close',
      });
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limit) {
        cleanup();
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * A bad value for an error message, without walking it: JSON.stringify of a deeply nested value
 * from a request would overflow the stack (a 500 instead of a 400).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new HttpError(400, 'bad_json', `Request body is not valid JSON (${(err as Error).message}).`);
  }
}
