/**
 * The clock offset to the shared server, estimated NTP-style against a server whose clock is
 * shifted by a known amount: the estimate must land within the uncertainty it states.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { bestEstimate, estimateClockOffset, localMonotonicAt } from '../../src/runner/clock-offset.js';
import { startReferenceServer } from '../../src/server/index.js';

/** A /clock whose monotonic reading runs `skewNs` ahead of ours (another machine's clock, booted at another time). */
async function skewedClock(skewNs: bigint, wallSkewMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url !== '/clock') return res.writeHead(404).end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ monotonicNs: String(process.hrtime.bigint() + skewNs), wallMs: performance.timeOrigin + performance.now() + wallSkewMs }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('bestEstimate', () => {
  it('keeps the round trip with the smallest delay and states half of it as the uncertainty', () => {
    const estimate = bestEstimate([
      { t0: 0n, serverNs: 5_000n, serverWallMs: 1, t3: 4_000n },
      { t0: 10_000n, serverNs: 15_400n, serverWallMs: 2, t3: 10_800n },
      { t0: 20_000n, serverNs: 30_000n, serverWallMs: 3, t3: 29_000n },
    ]);
    expect(estimate.offsetNs).toBe(5_000n);
    expect(estimate.uncertaintyNs).toBe(400n);
    expect(estimate.samples).toBe(3);
  });
});

describe('estimateClockOffset', () => {
  it.each([
    [37_123_456_789n, 0],
    [-5_000_000_000n, 250],
  ])('finds a server clock %d ns off within its stated uncertainty', async (skewNs, wallSkewMs) => {
    const clock = await skewedClock(skewNs, wallSkewMs);
    server = clock.server;
    const estimate = await estimateClockOffset(clock.url, { rounds: 16 });
    expect(estimate).toBeDefined();
    const error = estimate!.offsetNs - skewNs;
    expect(error < 0n ? -error : error).toBeLessThanOrEqual(estimate!.uncertaintyNs);
    expect(estimate!.samples).toBe(16);
  });

  it("turns a wall time on the server's clock into ours, within the uncertainty", async () => {
    const wallSkewMs = 90_000;
    const clock = await skewedClock(123_000_000_000n, wallSkewMs);
    server = clock.server;
    const estimate = (await estimateClockOffset(clock.url, { rounds: 16 }))!;
    const nowMono = process.hrtime.bigint();
    const nowWall = performance.timeOrigin + performance.now();
    // Five seconds from now on the server's wall clock is five seconds from now on ours.
    const local = localMonotonicAt(nowWall + wallSkewMs + 5_000, estimate, { monoNs: nowMono, wallMs: nowWall });
    const errorNs = local - (nowMono + 5_000_000_000n);
    // Both readings here and the server's are a few µs apart; allow the uncertainty and 2 ms of that.
    expect(Math.abs(Number(errorNs))).toBeLessThanOrEqual(Number(estimate.uncertaintyNs) + 2_000_000);
  });

  it('says the reference server offers /clock, and a server without one gives no estimate', async () => {
    const reference = await startReferenceServer({ host: '127.0.0.1', port: 0 });
    try {
      const estimate = await estimateClockOffset(reference.url, { rounds: 4 });
      // Same machine, same monotonic clock: offset within the uncertainty of 0.
      const offset = estimate!.offsetNs < 0n ? -estimate!.offsetNs : estimate!.offsetNs;
      expect(offset).toBeLessThanOrEqual(estimate!.uncertaintyNs);
    } finally {
      await reference.close();
    }
    server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    expect(await estimateClockOffset(`http://127.0.0.1:${(server.address() as { port: number }).port}`, { rounds: 4 })).toBeUndefined();
  });

  it('without an estimate, places the start by our own wall clock', () => {
    expect(localMonotonicAt(1_000_500, undefined, { monoNs: 7_000_000_000n, wallMs: 1_000_000 })).toBe(7_500_000_000n);
  });
});
