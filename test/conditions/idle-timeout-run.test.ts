/**
 * An idle timeout (1.5 s) in the proxy cuts a quiet SSE stream, and not one that heartbeats every
 * 500 ms (a margin of three beats, for timers that wake late on a loaded machine).
 */
import { describe, expect, it } from 'vitest';
import { runYaml } from './run-helpers.js';

const scenario = (heartbeat: string) => `name: idle
duration: 3s
warmup: 300ms
drain: 200ms
clients: { count: 3, rampUp: 0s }
events: { rate: 1/h, payload: 10B }
intermediary: { idleTimeout: 1500ms }
transports: { sse: { heartbeat: ${heartbeat} } }
`;

describe('intermediary idle timeout, through runScenario', () => {
  it('cuts streams that carry nothing, and the clients reconnect', async () => {
    const [sse] = await runYaml(scenario('off'));
    expect(sse!.proxy!.idleCuts).toBeGreaterThan(0);
    // SSE requests in the window are reconnects: the first connects came before it.
    expect(sse!.requests.total).toBeGreaterThan(0);
    expect(sse!.proxy!.connections).toBeGreaterThan(0);
    expect(sse!.requests.reconnects).toBeGreaterThan(0);
  }, 30_000);

  it('leaves streams alone that heartbeat every 500 ms', async () => {
    const [sse] = await runYaml(scenario('500ms'));
    expect(sse!.proxy!.idleCuts).toBe(0);
    expect(sse!.requests.total).toBe(0);
    expect(sse!.server.heartbeats).toBeGreaterThan(0);
    expect(sse!.requests.reconnects).toBe(0);
  }, 30_000);
});
