/** A shaped link, end to end: real reference server, real proxy process, real client processes. */
import { describe, expect, it } from 'vitest';
import { runYaml } from './run-helpers.js';

describe('network, through runScenario', () => {
  it('50 ms down: SSE latency p50 pays it, the model says so, and each client process has its proxy', async () => {
    const [sse] = await runYaml(
      `name: latency
duration: 1s
warmup: 300ms
drain: 500ms
clients: { count: 10, rampUp: 200ms }
events: { rate: 40/s, arrival: uniform, payload: 100B, audience: one }
network: { down: { latency: 50ms } }
transports: { sse: {} }
`,
      2,
    );
    expect(sse!.events.lost).toBe(0);
    // Never below the delay (timers wake late, never early); the ceiling is generous for a loaded machine.
    expect(sse!.latencyMs.p50).toBeGreaterThanOrEqual(45);
    expect(sse!.latencyMs.p50).toBeLessThan(150);
    expect(sse!.model?.meanLatencyMs?.model).toBe(50);
    expect(sse!.client.processes).toBe(2);
    expect(sse!.proxy).toMatchObject({ processes: 2, idleCuts: 0 });
    expect(sse!.proxy!.cpuMs).toBeGreaterThan(0);
    // The proxies forwarded what the clients read. The two are marked by separate processes at
    // nearly the same instant, so on a loaded machine one event (~165 B) may be in flight between them.
    expect(Math.abs(sse!.proxy!.bytesDown - sse!.bytes.down)).toBeLessThanOrEqual(512);
    expect(sse!.proxy!.bytesDown).toBeGreaterThan(0);
  }, 30_000);

  it('64 KB/s down: a burst of 64 KB drains at the cap, not faster and not far slower', async () => {
    const capBytesPerS = 64_000;
    const [sse] = await runYaml(`name: bandwidth
duration: 1500ms
warmup: 300ms
drain: 1200ms
clients: { count: 1, rampUp: 0s }
events: { arrival: burst, burst: { size: 16, every: 1500ms }, payload: 4KB, audience: one }
network: { down: { bandwidth: 64KB/s } }
transports: { sse: {} }
`);
    expect(sse!.events.lost).toBe(0);
    const bursts = sse!.events.delivered / 16;
    expect(bursts).toBeGreaterThanOrEqual(1);
    // Every burst is published at once; its last event arrives when all its bytes have passed the cap.
    const burstBytes = sse!.bytes.down / bursts;
    const throughput = burstBytes / (sse!.latencyMs.max! / 1_000);
    expect(throughput).toBeLessThanOrEqual(capBytesPerS * 1.2);
    expect(throughput).toBeGreaterThan(capBytesPerS / 2);
  }, 30_000);
});
