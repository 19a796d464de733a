import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConsumeGate } from '../../src/transports/consume-gate.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import type { ClientContext, ClientSink, RequestOutcome, TransportClient } from '../../src/transports/types.js';
import type { RunningServer } from '../../src/server/index.js';
import { transportModule } from '../../src/transports/catalog.js';
import { tlsContext } from '../helpers/tls.js';

export interface SeenEvent {
  seq: number;
  intendedNs: bigint;
  payloadBytes: number;
  receivedNs: bigint;
}

/** A sink that keeps everything, per client, for assertions. */
export class RecordingSink implements ClientSink {
  readonly events = new Map<number, SeenEvent[]>();
  readonly gaps: Array<{ clientIndex: number; from: number; to: number }> = [];
  readonly requests: Array<{ clientIndex: number; outcome: RequestOutcome }> = [];
  readonly frames: Array<{ clientIndex: number; direction: 'up' | 'down'; control: boolean }> = [];
  readonly connects: Array<{ clientIndex: number; connectNs: bigint }> = [];
  readonly failures: Array<{ clientIndex: number; kind: string; detail: string }> = [];
  skipped = 0;

  event(clientIndex: number, seq: number, intendedNs: bigint, payloadBytes: number, receivedNs: bigint): void {
    let list = this.events.get(clientIndex);
    if (list === undefined) this.events.set(clientIndex, (list = []));
    list.push({ seq, intendedNs, payloadBytes, receivedNs });
  }
  gap(clientIndex: number, from: number, to: number): void {
    this.gaps.push({ clientIndex, from, to });
  }
  request(clientIndex: number, outcome: RequestOutcome): void {
    this.requests.push({ clientIndex, outcome });
  }
  frame(clientIndex: number, direction: 'up' | 'down', control: boolean): void {
    this.frames.push({ clientIndex, direction, control });
  }
  connected(clientIndex: number, connectNs: bigint): void {
    this.connects.push({ clientIndex, connectNs });
  }
  failure(clientIndex: number, kind: 'connect' | 'request' | 'protocol' | 'disconnect', detail: string): void {
    this.failures.push({ clientIndex, kind, detail });
  }
  skippedPoll(): void {
    this.skipped++;
  }

  seqs(clientIndex = 0): number[] {
    return (this.events.get(clientIndex) ?? []).map((e) => e.seq);
  }
  totalEvents(): number {
    let total = 0;
    for (const list of this.events.values()) total += list.length;
    return total;
  }
}

export { sleep, waitFor } from '../helpers/wait.js';

export { seededRandom } from '../../src/runner/random.js';
import { seededRandom } from '../../src/runner/random.js';

export function makeContext<S>(
  baseUrl: string,
  settings: S,
  overrides: Partial<ClientContext<S>> = {},
): ClientContext<S> & { sink: RecordingSink; meter: SocketMeter } {
  return {
    baseUrl,
    clientId: 'c1',
    clientIndex: 0,
    settings,
    sink: new RecordingSink(),
    meter: new SocketMeter(),
    random: seededRandom(1),
    retry: { baseMs: 20, maxMs: 100, maxConsecutiveFailures: 3 },
    ...overrides,
  } as ClientContext<S> & { sink: RecordingSink; meter: SocketMeter };
}

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * A slow client's gate, by hand: while `holding`, the next request is put off and kept in
 * `pending`, for the test to let it come due when it likes (late, after another request went).
 */
export class ManualDefer {
  holding = false;
  pending: (() => void) | undefined;

  read(): void {}

  defer(next: () => void): boolean {
    if (!this.holding) return false;
    this.pending = next;
    return true;
  }

  asGate(): ConsumeGate {
    return this as unknown as ConsumeGate;
  }
}

/** A purpose-built node:http server on 127.0.0.1:0 whose close() also cuts open connections. */
export async function startHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The wire form of one event, as the reference server writes it. */
export function eventJson(seq: number, payload = 'xxxx'): string {
  return `{"seq":${seq},"id":${seq},"t":"${1_000_000n + BigInt(seq)}","p":"${payload}"}`;
}

/** Closes everything registered, newest first; for afterEach. */
export class Cleanup {
  /** Each may return a promise, which run() awaits. */
  private readonly tasks: Array<() => unknown> = [];
  add<T>(task: () => unknown, value: T): T {
    this.tasks.push(task);
    return value;
  }
  /** Register `value` to be closed by `close(value)`; returns it (no self-reference in initialisers). */
  track<T>(close: (value: T) => unknown, value: T): T {
    this.tasks.push(() => close(value));
    return value;
  }
  async run(): Promise<void> {
    while (this.tasks.length > 0) await this.tasks.pop()!();
  }
}

/**
 * Clients of `transport` for `ids` against `server` (a secure transport on its TLS listener),
 * started, with fast retries, and stopped by `cleanup` after the test.
 */
export async function startClients(
  cleanup: Cleanup,
  server: RunningServer,
  transport: string,
  ids: readonly string[],
  settings: Record<string, unknown>,
  observe: { sink: ClientSink; meter: SocketMeter },
): Promise<TransportClient[]> {
  const module = transportModule(transport);
  const tls = await tlsContext(server);
  const clients: TransportClient[] = ids.map((clientId, clientIndex) =>
    module.createClient({
      baseUrl: server.url,
      clientId,
      clientIndex,
      settings: module.settings.parse(settings) as unknown,
      ...observe,
      random: seededRandom(clientIndex),
      retry: { baseMs: 20, maxMs: 100, maxConsecutiveFailures: 5 },
      ...tls,
    }),
  );
  cleanup.track((list) => Promise.all(list.map((c) => c.stop())), clients);
  await Promise.all(clients.map((c) => c.start()));
  return clients;
}
