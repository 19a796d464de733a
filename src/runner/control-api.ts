/**
 * The runner's calls to the reference server's control endpoints (docs/protocol.md): register
 * clients, publish batches, reset, read stats. One keep-alive connection, outside the
 * measured client sockets, so control traffic never counts as transport bytes.
 */
import { Pool } from 'undici';
import type { StatsSnapshot } from '../server/index.js';

export interface PublishSpec {
  to: string[] | 'all';
  /** Intended publish time, ns (process.hrtime.bigint()) as a decimal string. */
  intended: string;
  payloadBytes: number;
}

export interface PublishAnswer {
  id: number;
  recipients: number;
  /** Server's hrtime when it fanned the event out, ns as a decimal string. */
  publishedAt: string;
}

/** Client ids per registration request: keeps each body far under the server's body limit. */
const REGISTER_BATCH = 5_000;

export class ControlApi {
  private readonly pool: Pool;

  constructor(readonly baseUrl: string) {
    // Publishes are pipelined (publisher.ts: up to 4 in flight) plus a stats or reset call beside them.
    this.pool = new Pool(baseUrl, { connections: 5, keepAliveTimeout: 60_000 });
  }

  async register(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += REGISTER_BATCH) {
      await this.call('POST', '/clients', { ids: ids.slice(i, i + REGISTER_BATCH) });
    }
  }

  publish(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    return this.call('POST', '/publish', specs) as Promise<PublishAnswer[]>;
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async resetStats(): Promise<void> {
    await this.call('POST', '/stats/reset');
  }

  stats(): Promise<StatsSnapshot> {
    return this.call('GET', '/stats') as Promise<StatsSnapshot>;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.pool.request({
      method,
      path,
      // Control POSTs must say JSON even without a body (the server refuses anything a web page could send).
      headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) {
      throw new Error(`the reference server answered ${method} ${path} with ${response.statusCode}: ${text.slice(0, 300)}`);
    }
    return text === '' ? undefined : JSON.parse(text);
  }
}
