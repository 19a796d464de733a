/**
 * `intermediary: nginx` through runScenario: a real nginx between the client processes and the
 * reference server, its cost in the result, its read timeout cutting quiet streams (and not ones
 * that heartbeat), and no nginx left afterwards.
 */
import { describe, expect, it } from 'vitest';
import { findNginx } from '../../src/runner/nginx-process.js';
import { runYaml } from './run-helpers.js';

const nginxHere = (() => {
  try {
    findNginx();
    return true;
  } catch {
    return false;
  }
})();

// Skipped only on a developer machine without nginx; CI installs it (.ci/run), so there a missing nginx fails.
describe.skipIf(!nginxHere && !process.env.CI)('intermediary: nginx, through runScenario', () => {
  it('delivers every event on every transport through nginx, and reports what nginx cost', async () => {
    const results = await runYaml(`name: through-nginx
duration: 2s
warmup: 300ms
clients: { count: 4, rampUp: 0s }
events: { rate: 20/s, arrival: uniform, audience: all, payload: 50B }
intermediary: nginx
transports: { polling: { interval: 200ms }, long-polling: {}, sse: {}, http-stream: {}, websocket: {} }
`);
    expect(results.map((t) => t.transport)).toEqual(['polling', 'long-polling', 'sse', 'http-stream', 'websocket']);
    for (const transport of results) {
      expect(transport.events.expected, transport.transport).toBe(160);
      expect(transport.events.lost, transport.transport).toBe(0);
      expect(transport.nginx?.cpuMs, transport.transport).not.toBeNull();
      expect(transport.nginx?.rssBytes, transport.transport).toBeGreaterThan(1_000_000);
      expect(transport.proxy).toBeUndefined();
    }
  }, 60_000);

  it('cuts a stream quiet for its read timeout, and not one that heartbeats', async () => {
    const [sse, httpStream, websocket] = await runYaml(`name: nginx-cuts
duration: 2500ms
warmup: 300ms
drain: 200ms
clients: { count: 3, rampUp: 0s }
events: { rate: 1/h, payload: 10B }
intermediary: { nginx: { readTimeout: 1s } }
transports: { sse: { heartbeat: off }, http-stream: { heartbeat: 300ms }, websocket: { heartbeat: 300ms } }
`);
    expect(sse!.nginx!.readTimeouts).toBeGreaterThan(0);
    expect(sse!.requests.reconnects).toBeGreaterThan(0);
    expect(httpStream!.requests.reconnects).toBe(0);
    expect(httpStream!.server.heartbeats).toBeGreaterThan(0);
    expect(websocket!.requests.reconnects).toBe(0);
    expect(websocket!.server.heartbeats).toBeGreaterThan(0);
  }, 60_000);
});
