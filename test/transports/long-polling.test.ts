import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLongPollingClient } from '../../src/transports/long-polling/client.js';
import { Cleanup, eventJson, makeContext, ManualDefer, sleep, startHttpServer, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** A /long-poll endpoint: holds until an event exists after the cursor or the timeout passes. */
class LongPollServer {
  published = 0;
  failWith: number | undefined;
  readonly seen: Array<{ after: number; timeout: number }> = [];
  private readonly waiting = new Set<() => void>();

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const after = Number(url.searchParams.get('after'));
    const timeout = Number(url.searchParams.get('timeout'));
    this.seen.push({ after, timeout });
    if (this.failWith !== undefined) {
      res.writeHead(this.failWith).end('{"error":"down"}');
      return;
    }
    const answer = (): void => {
      this.waiting.delete(answer);
      clearTimeout(timer);
      if (this.published <= after) {
        res.writeHead(204).end();
        return;
      }
      const events: string[] = [];
      for (let seq = after + 1; seq <= this.published; seq++) events.push(eventJson(seq));
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"events":[${events.join(',')}],"next":${this.published}}`);
    };
    const timer = setTimeout(answer, timeout);
    if (this.published > after) answer();
    else this.waiting.add(answer);
  };

  publish(): void {
    this.published++;
    for (const answer of [...this.waiting]) answer();
  }
}

describe('long-polling client', () => {
  it('re-requests at once after each answer, carrying its cursor and timeout', async () => {
    const lp = new LongPollServer();
    const server = cleanup.track((x) => x.close(), await startHttpServer(lp.handle));
    const ctx = makeContext(server.url, { timeoutMs: 5_000 });
    const client = cleanup.track((x) => x.stop(), createLongPollingClient(ctx));
    await client.start();
    expect(ctx.sink.connects).toHaveLength(1);
    for (let seq = 1; seq <= 20; seq++) {
      await waitFor(() => lp.seen.length === seq, `request ${seq}`, 5_000);
      lp.publish();
    }
    await waitFor(() => ctx.sink.totalEvents() === 20, '20 events', 5_000);
    expect(ctx.sink.seqs()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(lp.seen.slice(0, 20).map((s) => s.after)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(lp.seen.every((s) => s.timeout === 5_000)).toBe(true);
    expect(ctx.meter.trackedSockets).toBe(1);
    expect(ctx.sink.failures).toEqual([]);
  });

  it("sends one request at a time when a slow client's deferred request comes due after a return sent one", async () => {
    const lp = new LongPollServer();
    const server = cleanup.track((x) => x.close(), await startHttpServer(lp.handle));
    const gate = new ManualDefer();
    const ctx = makeContext(server.url, { timeoutMs: 5_000 }, { consume: gate.asGate() });
    const client = cleanup.track((x) => x.stop(), createLongPollingClient(ctx));
    await client.start();
    gate.holding = true;
    lp.publish();
    await waitFor(() => gate.pending !== undefined, 'a deferred request', 5_000);
    gate.holding = false;
    client.goOffline('silent');
    client.comeBack();
    await waitFor(() => lp.seen.length === 2, 'the return request', 5_000);
    gate.pending!();
    lp.publish();
    await waitFor(() => ctx.sink.totalEvents() >= 2, '2 events', 5_000);
    await sleep(300);
    expect(ctx.sink.seqs()).toEqual([1, 2]);
  });

  it('treats a 204 (hold timed out) as an empty answer and asks again', async () => {
    const lp = new LongPollServer();
    const server = cleanup.track((x) => x.close(), await startHttpServer(lp.handle));
    const ctx = makeContext(server.url, { timeoutMs: 30 });
    const client = cleanup.track((x) => x.stop(), createLongPollingClient(ctx));
    await client.start();
    await waitFor(() => ctx.sink.requests.length >= 3, 'three empty answers', 5_000);
    expect(ctx.sink.requests.slice(0, 3).every((r) => r.outcome === 'empty')).toBe(true);
    expect(ctx.sink.failures).toEqual([]);
  });

  it('reports a 500 and retries with backoff, bounded', async () => {
    const lp = new LongPollServer();
    lp.failWith = 500;
    const server = cleanup.track((x) => x.close(), await startHttpServer(lp.handle));
    const ctx = makeContext(server.url, { timeoutMs: 1_000 });
    const client = cleanup.track((x) => x.stop(), createLongPollingClient(ctx));
    await client.start(); // connected on TCP connect; the 500s come after
    await waitFor(() => ctx.sink.failures.some((f) => f.kind === 'disconnect'), 'give up', 5_000);
    expect(ctx.sink.failures.filter((f) => f.kind === 'request')).toHaveLength(3);
    expect(ctx.sink.failures[0]?.detail).toMatch(/GET \/long-poll answered 500/);
    expect(lp.seen).toHaveLength(3);
    expect(ctx.sink.requests.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('stops at once even while a request is held', async () => {
    const lp = new LongPollServer();
    const server = cleanup.track((x) => x.close(), await startHttpServer(lp.handle));
    const ctx = makeContext(server.url, { timeoutMs: 60_000 });
    const client = createLongPollingClient(ctx);
    await client.start();
    await waitFor(() => lp.seen.length === 1, 'held request', 5_000);
    const before = Date.now();
    await client.stop();
    expect(Date.now() - before).toBeLessThan(2_000);
    expect(ctx.meter.openSockets).toBe(0);
    expect(ctx.sink.failures).toEqual([]);
  });
});
