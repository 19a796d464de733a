/** The shaping proxy in front of the real reference server: a known delay and a bandwidth cap, measured over the wire. */
import { afterEach, describe, expect, it } from 'vitest';
import { ShapingProxy, type LinkShape } from '../../src/conditions/shaping-proxy.js';
import { seededRandom } from '../../src/runner/random.js';
import type { RunningServer } from '../../src/server/index.js';
import { publish, register, SseClient, startServer } from '../server/helpers.js';
import { waitFor } from '../helpers/wait.js';

const direction = (latencyMs: number, bytesPerSecond: number | null = null) => ({ latencyMs, jitterMs: 0, bytesPerSecond, burstBytes: 16 * 1024 });

let proxy: ShapingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function through(server: RunningServer, shape: LinkShape, idleTimeoutMs?: number): Promise<string> {
  proxy = await ShapingProxy.start({
    targetHost: '127.0.0.1',
    targetPort: server.port,
    shape,
    random: (connection, side) => seededRandom(connection * 2 + (side === 'up' ? 0 : 1)),
    ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
  });
  return `http://127.0.0.1:${proxy.port}`;
}

describe('ShapingProxy', () => {
  it('delays every event by at least the one-way latency, in order, and counts what it forwarded', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const url = await through(server, { up: direction(0), down: direction(50) });
    const sse = await SseClient.open(`${url}/sse?client=a`);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sentMs = performance.now();
      await publish(server, { to: ['a'], payloadBytes: 10 });
      await waitFor(() => sse.events.length === i + 1, `event ${i + 1} through the proxy`);
      delays.push(performance.now() - sentMs);
    }
    sse.close();
    // The proxy holds each chunk 50 ms (timers wake late, never early): a lower bound, not a timing guess.
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(49);
    expect(sse.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(proxy!.counts.connections).toBe(1);
    expect(proxy!.counts.bytesDown).toBeGreaterThan(5 * 10);
  });

  it('caps the bandwidth: 100 kB through a 100 kB/s link takes most of a second', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const url = await through(server, { up: direction(0), down: direction(0, 100_000) });
    const sse = await SseClient.open(`${url}/sse?client=a`);
    const startedMs = performance.now();
    await publish(
      server,
      Array.from({ length: 5 }, () => ({ to: ['a'], payloadBytes: 20_000 })),
    );
    await waitFor(() => sse.events.length === 5, 'five 20 kB events through the proxy');
    const elapsedMs = performance.now() - startedMs;
    sse.close();
    // 100 kB at 100 kB/s, less the 16 kB the bucket lets through at once: at least 0.84 s.
    expect(elapsedMs).toBeGreaterThanOrEqual(((100_000 - 16 * 1024) / 100_000) * 1_000 - 1);
    // 100 kB at once is more than the link's buffer (64 KiB here): the proxy stopped reading, and the server felt it.
    expect(proxy!.counts.pauses).toBeGreaterThanOrEqual(1);
  });

  it('passes a closed connection on, after the bytes before it', async () => {
    const server = await startServer();
    const url = await through(server, { up: direction(20), down: direction(20) });
    const answer = await fetch(`${url}/health`, { headers: { connection: 'close' } });
    expect(await answer.json()).toEqual({ ok: true });
    await waitFor(() => proxy!.counts.connections === 1 && proxy!.counts.bytesUp > 0, 'the request to be counted');
  });

  it('cuts a connection idle for the timeout, after the bytes in flight, and counts it', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const url = await through(server, { up: direction(0), down: direction(100) }, 400);
    const sse = await SseClient.open(`${url}/sse?client=a`);
    const openedMs = performance.now();
    // An event 200 ms in restarts the wait; the FIN of the cut then travels behind it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await publish(server, { to: ['a'], payloadBytes: 10 });
    await waitFor(() => sse.ended, 'the idle cut');
    const cutAfterMs = performance.now() - openedMs;
    expect(sse.events.map((e) => e.seq)).toEqual([1]);
    // Idle from the event's arrival at the proxy (~200 ms) for 400 ms, then a FIN that travels 100 ms.
    expect(cutAfterMs).toBeGreaterThanOrEqual(200 + 400 + 100 - 5);
    expect(proxy!.counts.idleCuts).toBe(1);
  });

  it('does not cut a connection that keeps carrying bytes', async () => {
    const server = await startServer();
    await register(server, ['a']);
    const url = await through(server, { up: direction(0), down: direction(0) }, 300);
    const sse = await SseClient.open(`${url}/sse?client=a`);
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await publish(server, { to: ['a'], payloadBytes: 10 });
    }
    await waitFor(() => sse.events.length === 8, 'eight events');
    expect(sse.ended).toBe(false);
    expect(proxy!.counts.idleCuts).toBe(0);
    sse.close();
  });
});
