import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';
import { WebSocket } from 'ws';
import { afterEach } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { rawDataText } from '../../src/transports/websocket/raw-data.js';
import type { Gap, WireEvent } from '../../src/check/context.js';
import { startReferenceServer, type RunningServer, type ServerOptionsInput, type StatsSnapshot } from '../../src/server/index.js';

export { sleep, waitFor } from '../helpers/wait.js';

/** Servers started by a test are closed after it, whatever happened. */
const running = new Set<RunningServer>();
afterEach(async () => {
  await Promise.all([...running].map((s) => s.close()));
  running.clear();
});

export async function startServer(options: ServerOptionsInput = {}): Promise<RunningServer> {
  const server = await startReferenceServer(options);
  running.add(server);
  return server;
}

export type { Gap, WireEvent };
export interface PollBody {
  events: WireEvent[];
  next: number;
  gap?: Gap;
}

/** A JSON answer. `T` is what the caller expects the body to be, unchecked; by default `unknown`. */
export interface JsonAnswer<T = unknown> {
  status: number;
  /** The parsed body, or undefined when there was none (e.g. a 204). */
  json: T | undefined;
}

export async function postJson<T = unknown>(url: string, body: unknown): Promise<JsonAnswer<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: parseBody<T>(await res.text()) };
}

export async function getJson<T = unknown>(url: string): Promise<JsonAnswer<T> & { headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, json: parseBody<T>(await res.text()), headers: res.headers };
}

function parseBody<T>(text: string): T | undefined {
  return text ? (JSON.parse(text) as T) : undefined;
}

export async function register(server: RunningServer, ids: string[]): Promise<void> {
  const { status } = await postJson(`${server.url}/clients`, { ids });
  if (status !== 200) throw new Error(`register failed: ${status}`);
}

/** POST /publish; resolves to the answer (one event's or a batch's), which the caller reads as it expects. */
export async function publish(server: RunningServer, specs: unknown): Promise<unknown> {
  const { status, json } = await postJson(`${server.url}/publish`, specs);
  if (status !== 200) throw new Error(`publish failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

export async function stats(server: RunningServer): Promise<StatsSnapshot> {
  return (await getJson(`${server.url}/stats`)).json as StatsSnapshot;
}

export const clientIds = (n: number, prefix = 'c'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export async function waitForStats(server: RunningServer, check: (s: StatsSnapshot) => boolean, what: string): Promise<StatsSnapshot> {
  return waitFor(async () => {
    const s = await stats(server);
    return check(s) ? s : undefined;
  }, what);
}

/** An SSE connection parsed with eventsource-parser. */
export class SseClient {
  readonly events: WireEvent[] = [];
  readonly gaps: Array<Gap & { id: string | undefined }> = [];
  readonly ids: string[] = [];
  comments = 0;
  retry: number | undefined;
  status = 0;
  headers: IncomingHttpHeaders = {};
  body = '';
  ended = false;
  private req: ReturnType<typeof request> | undefined;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const parser = createParser({
        onEvent: (e) => {
          if (e.id !== undefined) client.ids.push(e.id);
          if (e.event === 'gap') client.gaps.push({ ...(JSON.parse(e.data) as Gap), id: e.id });
          else client.events.push(JSON.parse(e.data) as WireEvent);
        },
        onRetry: (ms) => {
          client.retry = ms;
        },
        onComment: () => {
          client.comments++;
        },
      });
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (client.status === 200 ? parser.feed(chunk) : (client.body += chunk)));
        res.on('end', () => (client.ended = true));
        res.on('close', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', (err) => (client.status ? (client.ended = true) : reject(err)));
      req.end();
      client.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** A GET /stream reader written against docs/protocol.md: node:http, the body split on newlines. */
export class LineStreamClient {
  readonly events: WireEvent[] = [];
  readonly gaps: Gap[] = [];
  /** Every line, heartbeats ("") included, in order. */
  readonly lines: string[] = [];
  heartbeats = 0;
  res: IncomingMessage | undefined;
  body = '';
  private partial = '';
  private req: ReturnType<typeof request> | undefined;

  static open(url: string): Promise<LineStreamClient> {
    const client = new LineStreamClient();
    return new Promise((resolve, reject) => {
      client.req = request(url, (res) => {
        client.res = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (res.statusCode === 200 ? client.feed(chunk) : (client.body += chunk)));
        resolve(client);
      });
      client.req.on('error', (err) => (client.res ? undefined : reject(err)));
      client.req.end();
    });
  }

  private feed(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) {
      this.lines.push(line);
      if (line === '') this.heartbeats++;
      else if (line.startsWith('{"gap":')) this.gaps.push((JSON.parse(line) as { gap: Gap }).gap);
      else this.events.push(JSON.parse(line) as WireEvent);
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

/** A WebSocket client collecting event and gap frames. */
export class WsClient {
  readonly events: WireEvent[] = [];
  readonly gaps: Gap[] = [];
  closeCode: number | undefined;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(rawDataText(data)) as WireEvent | { gap: Gap };
      if ('gap' in frame) this.gaps.push(frame.gap);
      else this.events.push(frame);
    });
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', () => undefined);
  }

  static open(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WsClient> {
    const ws = new WebSocket(url, options);
    const client = new WsClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Checks that a client saw seqs 1..n exactly once, in order, and returns their event ids. */
export function expectContiguous(events: WireEvent[], n: number, firstSeq = 1): number[] {
  if (events.length !== n) throw new Error(`expected ${n} events, got ${events.length}`);
  events.forEach((e, i) => {
    if (e.seq !== firstSeq + i) throw new Error(`event ${i} has seq ${e.seq}, expected ${firstSeq + i}`);
  });
  return events.map((e) => e.id);
}
