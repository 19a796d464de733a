/**
 * A small push server that speaks the control endpoints, chat rooms and GET /poll of the wire
 * contract, with faults to switch on: enough for `push-bench check --transports polling` (which
 * must name the broken rule) and for a polling run with `--target`, one-way or a chat (which must
 * count what it loses or repeats). No retention bound, no long polling, no streams, no /stats: a foreign server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The seq faults hit seq 2 of each client, then every `every`-th seq after it (2, 12, 22, … by
 * default): the check sees the first in its three events, a run sees them all along its window.
 * - `skip-seq`: the event takes its seq but is never delivered (a loss).
 * - `repeat-seq`: the event is delivered twice, both times with its seq (a duplicate).
 * - `ignore-after`: polls answer from seq 1 whatever `after` says (it is still checked as a number).
 */
export type Fault = 'skip-seq' | 'repeat-seq' | 'ignore-after';

export interface BrokenServerOptions {
  faults?: readonly Fault[];
  /** The seq faults hit seqs 2, 2 + every, 2 + 2·every, …; default 10. */
  every?: number;
}

export interface BrokenServer {
  url: string;
  /**
   * Events a seq fault hit so far, over all clients: deliveries left out (`skip-seq`) or doubled
   * (`repeat-seq`), and the intended times (ns) of the skipped ones and of the earliest event.
   */
  faulted(): { skipped: number; repeated: number; skippedIntended: bigint[]; earliestIntended: bigint | undefined };
  close(): Promise<void>;
}

/** The first seq the seq faults hit. */
const FIRST_FAULTY_SEQ = 2;
const CLIENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const INTEGER = /^\d{1,15}$/;
const SPEC_FIELDS = new Set(['to', 'intended', 'payload', 'payloadBytes']);
const ROUTES: Record<string, string> = {
  '/health': 'GET',
  '/clients': 'POST',
  '/publish': 'POST',
  '/rooms': 'POST',
  '/send': 'POST',
  '/reset': 'POST',
  '/poll': 'GET',
};

interface Log {
  last: number;
  events: Array<{ seq: number; json: string }>;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly parameter?: string,
  ) {
    super(code);
  }
}

export async function startBrokenServer(options: BrokenServerOptions = {}): Promise<BrokenServer> {
  const faults = options.faults ?? [];
  const every = options.every ?? 10;
  const has = (fault: Fault) => faults.includes(fault);
  const hit = (seq: number) => seq >= FIRST_FAULTY_SEQ && (seq - FIRST_FAULTY_SEQ) % every === 0;
  const faulted = { skipped: 0, repeated: 0, skippedIntended: [] as bigint[], earliestIntended: undefined as bigint | undefined };
  const clients = new Map<string, Log>();
  const rooms = new Map<string, { members: Set<string>; echo: boolean }>();
  let lastId = 0;

  function publish(body: unknown): unknown {
    const specs = (Array.isArray(body) ? body : [body]) as Array<Record<string, unknown>>;
    for (const spec of specs) {
      if (spec === null || typeof spec !== 'object' || Object.keys(spec).some((key) => !SPEC_FIELDS.has(key))) throw new Refusal(400, 'bad_parameter', 'body');
      const to = spec.to;
      if (to !== 'all' && !(Array.isArray(to) && to.every((id) => typeof id === 'string'))) throw new Refusal(400, 'bad_parameter', 'to');
      if (Array.isArray(to) && to.some((id: string) => !clients.has(id))) throw new Refusal(404, 'unknown_client', 'to');
    }
    const answers = specs.map((spec) => {
      lastId += 1;
      const t = typeof spec.intended === 'string' ? spec.intended : process.hrtime.bigint().toString();
      if (faulted.earliestIntended === undefined || BigInt(t) < faulted.earliestIntended) faulted.earliestIntended = BigInt(t);
      const p = typeof spec.payload === 'string' ? spec.payload : 'x'.repeat(Number(spec.payloadBytes ?? 0));
      const shared = `"id":${lastId},"t":${JSON.stringify(t)},"p":${JSON.stringify(p)}}`;
      const to = spec.to === 'all' ? [...clients.keys()] : [...new Set(spec.to as string[])];
      for (const id of to) {
        const log = clients.get(id)!;
        log.last += 1;
        const event = { seq: log.last, json: `{"seq":${log.last},${shared}` };
        if (hit(log.last) && has('skip-seq')) {
          faulted.skipped += 1;
          faulted.skippedIntended.push(BigInt(t));
          continue;
        }
        log.events.push(event);
        if (hit(log.last) && has('repeat-seq')) {
          faulted.repeated += 1;
          log.events.push(event);
        }
      }
      return { id: lastId, recipients: to.length, publishedAt: process.hrtime.bigint().toString() };
    });
    return Array.isArray(body) ? answers : answers[0];
  }

  function joinRooms(body: unknown): string {
    const { rooms: given, echo = false } = (body ?? {}) as { rooms?: Record<string, unknown>; echo?: unknown };
    if (typeof given !== 'object' || given === null || typeof echo !== 'boolean') throw new Refusal(400, 'bad_parameter', 'rooms');
    for (const [name, ids] of Object.entries(given)) {
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !clients.has(id))) throw new Refusal(400, 'bad_parameter', `rooms.${name}`);
      const room = rooms.get(name) ?? { members: new Set<string>(), echo };
      room.echo = echo;
      for (const id of ids as string[]) room.members.add(id);
      rooms.set(name, room);
    }
    return JSON.stringify({ rooms: rooms.size });
  }

  /** A chat message is a publish to the sender's room, seq faults and all. */
  function chatSend(query: URLSearchParams, body: unknown): unknown {
    const sender = query.get('client') ?? '';
    if (!clients.has(sender)) throw new Refusal(404, 'unknown_client', 'client');
    const { room: name, t, p } = (body ?? {}) as { room?: unknown; t?: unknown; p?: unknown };
    if (typeof t !== 'string' || typeof p !== 'string') throw new Refusal(400, 'bad_parameter', 'body');
    const room = rooms.get(String(name));
    if (!room) throw new Refusal(404, 'unknown_room', 'room');
    if (!room.members.has(sender)) throw new Refusal(403, 'not_a_member', 'room');
    const to = [...room.members].filter((id) => room.echo || id !== sender);
    return publish({ to, intended: t, payload: p });
  }

  function poll(query: URLSearchParams): string {
    const client = query.get('client') ?? '';
    if (!CLIENT_ID.test(client)) throw new Refusal(400, 'bad_parameter', 'client');
    const log = clients.get(client);
    if (!log) throw new Refusal(404, 'unknown_client', 'client');
    const afterText = query.get('after') ?? '0';
    if (!INTEGER.test(afterText)) throw new Refusal(400, 'bad_parameter', 'after');
    const after = Number(afterText);
    if (after > log.last) throw new Refusal(400, 'bad_parameter', 'after');
    const limit = Number(query.get('limit') ?? 10_000);
    const from = has('ignore-after') ? 0 : after;
    const events = log.events.filter((event) => event.seq > from).slice(0, limit);
    const next = events.length > 0 ? events.at(-1)!.seq : after;
    return `{"events":[${events.map((event) => event.json).join(',')}],"next":${next}}`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const method = ROUTES[url.pathname];
    if (!method) throw new Refusal(404, 'not_found');
    if (req.method !== method) {
      res.setHeader('allow', method);
      throw new Refusal(405, 'method_not_allowed');
    }
    if (method === 'GET') return send(res, 200, url.pathname === '/health' ? '{"ok":true}' : poll(url.searchParams));
    let body: unknown;
    const text = await readBody(req);
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new Refusal(400, 'bad_json');
    }
    if (url.pathname === '/reset') {
      clients.clear();
      rooms.clear();
      return send(res, 200, '{"ok":true}');
    }
    if (url.pathname === '/clients') {
      const ids = (body as { ids?: unknown } | undefined)?.ids;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && CLIENT_ID.test(id))) throw new Refusal(400, 'bad_parameter', 'ids');
      for (const id of ids as string[]) if (!clients.has(id)) clients.set(id, { last: 0, events: [] });
      return send(res, 200, JSON.stringify({ registered: clients.size }));
    }
    if (url.pathname === '/rooms') return send(res, 200, joinRooms(body));
    if (url.pathname === '/send') return send(res, 200, JSON.stringify(chatSend(url.searchParams, body)));
    return send(res, 200, JSON.stringify(publish(body)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof Refusal)) return send(res, 500, '{"error":"internal_error"}');
      send(
        res,
        error.status,
        JSON.stringify({ error: error.code, ...(error.parameter ? { parameter: error.parameter } : {}), message: 'refused by the fixture' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faulted: () => ({ ...faulted, skippedIntended: [...faulted.skippedIntended] }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), 'cache-control': 'no-store' }).end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.once('end', () => resolve(text));
    req.once('error', reject);
  });
}
