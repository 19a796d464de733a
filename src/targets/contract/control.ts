/**
 * The runner's calls to the reference server's control endpoints (docs/protocol.md): register
 * clients, publish batches, reset, read stats. One keep-alive connection, outside the
 * measured client sockets, so control traffic never counts as transport bytes.
 */
import { Pool } from 'undici';
import type { StatsSnapshot } from '../../server/stats.js';
import type { DialectSpec, PublishAnswer, PublishSpec, TargetControl } from '../control.js';

/** Client ids per registration request: keeps each body far under the server's body limit. */
const REGISTER_BATCH = 5_000;

/** Statuses that say "no such endpoint here": a foreign server need not have /stats. */
const NOT_OFFERED = new Set([404, 405, 501]);

export interface ControlApiOptions {
  /** A server push-bench did not start (--target): it may lack /stats, which then reads as not measured. */
  foreign?: boolean;
  /** Bearer token for the control POSTs of a server that wants one (serve --token); default $PUSH_BENCH_TOKEN. */
  token?: string;
}

export class ControlApi implements TargetControl {
  private readonly pool: Pool;
  private readonly foreign: boolean;
  private readonly token: string | undefined;

  constructor(
    readonly baseUrl: string,
    options: ControlApiOptions = {},
  ) {
    // Publishes are pipelined (publisher.ts: up to 4 in flight) plus a stats or reset call beside them.
    this.pool = new Pool(baseUrl, { connections: 5, keepAliveTimeout: 60_000 });
    this.foreign = options.foreign ?? false;
    this.token = options.token ?? (process.env.PUSH_BENCH_TOKEN || undefined);
  }

  async register(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += REGISTER_BATCH) {
      await this.call('POST', '/clients', { ids: ids.slice(i, i + REGISTER_BATCH) });
    }
  }

  publish(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    // The schedule's ordinal is the runner's own: the contract's server numbers events itself (and refuses unknown fields).
    const body = specs.map(({ to, intended, payloadBytes }) => ({ to, intended, payloadBytes }));
    return this.call('POST', '/publish', body) as Promise<PublishAnswer[]>;
  }

  /** In parts of REGISTER_BATCH members at most (a big room spans several): the server adds them up. */
  async rooms(rooms: Readonly<Record<string, readonly string[]>>, echo: boolean): Promise<void> {
    const memberships = Object.entries(rooms).flatMap(([name, members]) => members.map((id) => [name, id] as const));
    for (let i = 0; i < memberships.length; i += REGISTER_BATCH) {
      const part: Record<string, string[]> = {};
      for (const [name, id] of memberships.slice(i, i + REGISTER_BATCH)) (part[name] ??= []).push(id);
      await this.call('POST', '/rooms', { rooms: part, echo });
    }
  }

  dialect(): DialectSpec {
    return null;
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async resetStats(): Promise<void> {
    await this.call('POST', '/stats/reset', undefined, this.foreign);
  }

  /** The server's figures; undefined when a foreign server has no /stats (never zeros in their place). */
  async stats(): Promise<StatsSnapshot | undefined> {
    return (await this.call('GET', '/stats', undefined, this.foreign)) as StatsSnapshot | undefined;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** `optional`: a "no such endpoint" answer is undefined rather than an error. */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown, optional = false): Promise<unknown> {
    const headers: Record<string, string> = {};
    // Control POSTs must say JSON even without a body (the server refuses anything a web page could send).
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (method === 'POST' && this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const response = await this.pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.body.text();
    if (optional && NOT_OFFERED.has(response.statusCode)) return undefined;
    if (response.statusCode >= 300) {
      throw new Error(`${this.foreign ? 'the target' : 'the reference server'} answered ${method} ${path} with ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }
}
