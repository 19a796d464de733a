/**
 * Reading events the way each transport delivers them, as one shape: the status of the answer
 * (or of the handshake), then the events and gap markers in arrival order. A poll answers once;
 * a stream (SSE, HTTP streaming, WebSocket) is read until the expected number of items arrived or the wait is
 * over, plus a short linger that catches an extra (a repeated event) before it is closed.
 */
import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import { request } from 'undici';
import { WebSocket } from 'ws';
import type { ServedTransportName } from '../transports/catalog.js';
import { describeError, excerpt, parseJson, type Exchange, type Gap, type RuleContext, type WireEvent } from './context.js';
import { Broken } from './rule.js';

type Item = { kind: 'event'; event: WireEvent; sseId?: string } | { kind: 'gap'; gap: Gap; sseId?: string };

export interface Delivery {
  /** HTTP status; 101 for an accepted WebSocket. */
  status: number;
  items: Item[];
  /** The body of a refusal (or of a poll answer), parsed, or undefined. */
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReceiveOptions {
  /** Items (events and gaps) a stream is read for; 0 = only see whether it opens. */
  count: number;
  headers?: Record<string, string>;
  /** How long a stream is read for at most. */
  waitMs?: number;
}

/** Characters of a stream kept for the report. */
const KEPT_CHARS = 4_000;

/** A stream is read this much longer after the expected items, to catch one too many. */
const LINGER_MS = 150;

export const PATHS: Readonly<Record<ServedTransportName, string>> = {
  polling: '/poll',
  'long-polling': '/long-poll',
  sse: '/sse',
  // Served on the reference server's TLS listener only: `check` has no rules of its own for it.
  'sse-h2': '/sse',
  'http-stream': '/stream',
  websocket: '/ws',
};

function pathAndQuery(transport: ServedTransportName, query: Record<string, string>): string {
  const params = new URLSearchParams(query);
  // Long polls that ask for data must not be held by a server that has it: a short timeout bounds a wrong hold.
  if (transport === 'long-polling' && !params.has('timeout')) params.set('timeout', '1000');
  return `${PATHS[transport]}?${params.toString()}`;
}

export function receive(ctx: RuleContext, transport: ServedTransportName, query: Record<string, string>, options: ReceiveOptions): Promise<Delivery> {
  // A long poll that expects nothing (a refusal) asks not to be held, so that one wrongly accepted answers at once.
  const path = pathAndQuery(transport, transport === 'long-polling' && options.count === 0 ? { ...query, timeout: '0' } : query);
  if (transport === 'sse') return receiveSse(ctx, path, options);
  if (transport === 'websocket') return receiveWs(ctx, path, options);
  if (transport === 'http-stream') return receiveLines(ctx, path, options);
  return receiveAnswer(ctx, path, options);
}

async function receiveAnswer(ctx: RuleContext, path: string, options: ReceiveOptions): Promise<Delivery> {
  const answer = await ctx.http('GET', path, { ...(options.headers ? { headers: options.headers } : {}), waitMs: ctx.waitMs + 1_000 });
  const delivery: Delivery = { status: answer.status, items: [], json: answer.json, headers: answer.headers };
  if (answer.status !== 200) return delivery;
  const body = answer.json as { events?: unknown; gap?: unknown; next?: unknown } | undefined;
  if (!body || typeof body !== 'object' || !Array.isArray(body.events) || !Number.isInteger(body.next)) {
    throw new Broken('a 200 answer that is not {"events": [...], "next": N}');
  }
  if (body.gap !== undefined) delivery.items.push({ kind: 'gap', gap: asGap(body.gap) });
  for (const event of body.events) delivery.items.push({ kind: 'event', event: asEvent(event) });
  return delivery;
}

async function receiveSse(ctx: RuleContext, path: string, options: ReceiveOptions): Promise<Delivery> {
  const exchange = ctx.record(`GET ${path}${headerText(options.headers)}`);
  const stream = await openSse(ctx, path, options.headers ?? {}, exchange);
  if (stream.status !== 200) return { status: stream.status, items: [], json: parseJson(stream.text), headers: stream.headers };
  await readUntil(ctx, () => stream.events.length >= options.count, options.waitMs, stream.ended);
  stream.close();
  const items = stream.events.map(({ type, data, id }): Item => {
    const value = parseJson(data);
    const sseId = id === undefined ? {} : { sseId: id };
    return type === 'gap' ? { kind: 'gap', gap: asGap(value), ...sseId } : { kind: 'event', event: asEvent(value), ...sseId };
  });
  return { status: 200, items, json: undefined, headers: stream.headers };
}

/** A streamed GET body as it arrives: the answer's status and headers, and the text. */
export interface BodyStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Text of a refusal; for a stream, its first few thousand characters (for the report). */
  text: string;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export interface SseStream extends BodyStream {
  /** Every event so far, in order (kept from the first byte: some arrive before anyone listens). */
  events: Array<{ type: string | undefined; data: string; id: string | undefined }>;
  /** Every comment so far. */
  comments: string[];
}

/** GET an SSE stream; the answer's headers within the wait bound, then events as they come. */
export async function openSse(ctx: RuleContext, path: string, headers: Record<string, string>, exchange: Exchange): Promise<SseStream> {
  const events: SseStream['events'] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (event) => events.push({ type: event.event, data: event.data, id: event.id }),
    onComment: (comment) => comments.push(comment),
  });
  const body = await openBody(ctx, path, headers, exchange, (chunk) => parser.feed(chunk));
  return Object.assign(body, { events, comments });
}

export interface LineStream extends BodyStream {
  /** Every complete line so far, in order, without its newline; an empty one is a heartbeat. */
  lines: string[];
}

/** GET a newline-delimited JSON stream (GET /stream); the answer's headers within the wait bound, then lines as they come. */
export async function openLines(ctx: RuleContext, path: string, exchange: Exchange): Promise<LineStream> {
  const lines: string[] = [];
  let partial = '';
  const body = await openBody(ctx, path, {}, exchange, (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return Object.assign(body, { lines });
}

/** GET a body that streams; `onChunk` gets its decoded text as it comes (only for a 200). */
async function openBody(
  ctx: RuleContext,
  path: string,
  headers: Record<string, string>,
  exchange: Exchange,
  onChunk: (chunk: string) => void,
): Promise<BodyStream> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ctx.waitMs);
  const abortWithRule = () => controller.abort();
  ctx.signal.addEventListener('abort', abortWithRule, { once: true });
  ctx.onEnd(() => {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', abortWithRule);
    controller.abort();
  });
  let response;
  try {
    response = await request(`${ctx.session.url}${path}`, { headers, dispatcher: ctx.session.agent, signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) throw new Broken(`no answer within ${ctx.waitMs} ms to GET ${path}`);
    exchange.got = `(${describeError(error)})`;
    throw new Broken(`GET ${path}: ${describeError(error)}`);
  }
  clearTimeout(timer);
  const stream: BodyStream = {
    status: response.statusCode,
    headers: response.headers,
    text: '',
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (response.statusCode !== 200) {
    const bounded = setTimeout(() => controller.abort(), ctx.waitMs);
    stream.text = await response.body.text().catch(() => '');
    clearTimeout(bounded);
    exchange.got = excerpt(`${response.statusCode} ${stream.text}`);
    return stream;
  }
  const body = response.body;
  // undici's body ignores setEncoding: a decoder keeps a character split across chunks whole.
  const decoder = new StringDecoder('utf8');
  body.on('data', (data: Buffer) => {
    const chunk = decoder.write(data);
    // The report shows the start of the stream; a long catch-up need not be kept whole.
    if (stream.text.length < KEPT_CHARS) {
      stream.text += chunk;
      exchange.got = excerpt(`200 ${stream.text}`);
    }
    onChunk(chunk);
  });
  stream.ended = new Promise((resolve) => {
    body.once('end', resolve);
    body.once('error', () => resolve());
    body.once('close', resolve);
  });
  exchange.got = '200 (stream open, nothing yet)';
  return stream;
}

async function receiveLines(ctx: RuleContext, path: string, options: ReceiveOptions): Promise<Delivery> {
  const stream = await openLines(ctx, path, ctx.record(`GET ${path}`));
  if (stream.status !== 200) return { status: stream.status, items: [], json: parseJson(stream.text), headers: stream.headers };
  const items = () => stream.lines.filter((line) => line !== '');
  await readUntil(ctx, () => items().length >= options.count, options.waitMs, stream.ended);
  stream.close();
  return { status: 200, items: items().map((line) => messageItem(line)), json: undefined, headers: stream.headers };
}

async function receiveWs(ctx: RuleContext, path: string, options: ReceiveOptions): Promise<Delivery> {
  const exchange = ctx.record(`GET ${path} (WebSocket upgrade)${headerText(options.headers)}`);
  const socket = await openWs(ctx, path, exchange, options.headers);
  if (socket.status !== 101) return { status: socket.status, items: [], json: parseJson(socket.text), headers: {} };
  await readUntil(ctx, () => socket.messages.length >= options.count, options.waitMs, socket.closed);
  socket.ws?.terminate();
  return { status: 101, items: socket.messages.map((text) => messageItem(text)), json: undefined, headers: {} };
}

/** A WebSocket message or an NDJSON line: an event JSON, or `{"gap": {...}}`. */
function messageItem(text: string): Item {
  const value = parseJson(text) as { gap?: unknown } | undefined;
  return value && typeof value === 'object' && 'gap' in value ? { kind: 'gap', gap: asGap(value.gap) } : { kind: 'event', event: asEvent(value) };
}

export interface WsStream {
  status: number;
  /** Body of a refused handshake. */
  text: string;
  ws: WebSocket | undefined;
  /** Every message so far (kept from the handshake on: the catch-up may come with it). */
  messages: string[];
  closed: Promise<void>;
}

/** A WebSocket handshake within the wait bound: 101 with the socket, or the refusal's status and body. */
export function openWs(ctx: RuleContext, path: string, exchange: Exchange, headers: Record<string, string> = {}): Promise<WsStream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${ctx.session.ws}${path}`, { headers, handshakeTimeout: ctx.waitMs, perMessageDeflate: false });
    ctx.onEnd(() => ws.terminate());
    let text = '';
    const stream: WsStream = {
      status: 101,
      text: '',
      ws,
      messages: [],
      closed: new Promise((done) => ws.once('close', () => done())),
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const message = isBinary ? `(binary, ${data.length} bytes)` : data.toString('utf8');
      if (text.length < KEPT_CHARS) {
        text += `${message}\n`;
        exchange.got = excerpt(`101 ${text}`);
      }
      stream.messages.push(message);
    });
    ws.once('open', () => {
      exchange.got = '101 (open, nothing yet)';
      resolve(stream);
    });
    ws.once('unexpected-response', (req, res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      const done = () => {
        exchange.got = excerpt(`${res.statusCode ?? 0} ${body}`);
        resolve({ ...stream, status: res.statusCode ?? 0, text: body, ws: undefined });
        req.destroy();
      };
      res.once('end', done);
      res.once('error', done);
      setTimeout(done, ctx.waitMs).unref();
    });
    ws.on('error', (error) => {
      exchange.got = `(${describeError(error)})`;
      reject(new Broken(`GET ${path} (WebSocket): ${describeError(error)}`));
    });
  });
}

/** Waits until `done()` holds (then lingers to catch one too many), the stream ends, or the wait is over. */
async function readUntil(ctx: RuleContext, done: () => boolean, waitMs = 1_500, ended?: Promise<void>): Promise<void> {
  const deadline = Date.now() + waitMs;
  let over = false;
  void ended?.then(() => (over = true));
  while (!done() && !over && Date.now() < deadline && !ctx.signal.aborted) await sleep(10);
  if (done() && !over) await sleep(LINGER_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerText(headers: Record<string, string> | undefined): string {
  return headers
    ? Object.entries(headers)
        .map(([name, value]) => ` [${name}: ${value}]`)
        .join('')
    : '';
}

function asEvent(value: unknown): WireEvent {
  const event = value as Partial<WireEvent> | undefined;
  if (
    !event ||
    typeof event !== 'object' ||
    !Number.isInteger(event.seq) ||
    !Number.isInteger(event.id) ||
    typeof event.t !== 'string' ||
    typeof event.p !== 'string'
  ) {
    throw new Broken(`not an event {"seq","id","t","p"}: ${excerpt(JSON.stringify(value) ?? String(value))}`);
  }
  return event as WireEvent;
}

function asGap(value: unknown): Gap {
  const gap = value as Partial<Gap> | undefined;
  if (!gap || typeof gap !== 'object' || !Number.isInteger(gap.from) || !Number.isInteger(gap.to)) {
    throw new Broken(`not a gap marker {"from","to"}: ${excerpt(JSON.stringify(value) ?? String(value))}`);
  }
  return gap as Gap;
}
