/**
 * Clients that fall behind, end to end: the runner's server and client processes, a quarter of
 * the clients consuming 5 events/s while 40/s reach each of them. Their loss is exact (from
 * the schedule), their latency grows, the others' stays small.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result, TransportResult } from '../../src/report/model.js';
import { slowClientSet } from '../../src/runner/slow-clients.js';
import { runToResult, scenarioOf, transportOf } from '../helpers/run.js';

const SCENARIO = `name: slow-e2e
duration: 4s
warmup: 500ms
drain: 1s
clients: { count: 20, rampUp: 200ms, consume: 5/s, slow: 25% }
events: { rate: 40/s, arrival: uniform, payload: 100B, audience: all }
transports:
  polling: { interval: 200ms }
  sse: {}
`;

describe('slow clients through runScenario', () => {
  let result: Result;
  const transport = (name: string): TransportResult => transportOf(result, name);

  beforeAll(async () => {
    result = await runToResult(scenarioOf(SCENARIO, 'slow-e2e.yaml'), 2);
  }, 60_000);

  it('picks a quarter of the clients from the seed, scattered over both client processes', () => {
    const slow = [...slowClientSet(1, 20, 0.25)];
    expect(slow).toHaveLength(5);
    expect(slowClientSet(1, 20, 0.25)).toEqual(new Set(slow));
    expect(slow.some((i) => i < 10) && slow.some((i) => i >= 10)).toBe(true);
  });

  it.each(['polling', 'sse'])('%s: the slow clients account for exactly what the schedule sent them', (name) => {
    const { events, slowClients } = transport(name);
    expect(slowClients).toBeDefined();
    if (!slowClients) return;
    // 40/s uniform over 4 s to all 20: 160 events each, 5 slow clients.
    expect(events.expected).toBe(3_200);
    expect(slowClients.clients).toBe(5);
    expect(slowClients.expected).toBe(800);
    expect(slowClients.delivered + slowClients.lost).toBe(slowClients.expected);
    // 5/s each over the 4.5 s from the window's start to the drain's end: about 22 of 160, never near all.
    expect(slowClients.delivered).toBeGreaterThan(5 * 5);
    expect(slowClients.delivered).toBeLessThan(5 * 5 * 6);
    // Everyone else got everything; all the loss is the slow clients'.
    expect(events.lost).toBe(slowClients.lost);
    expect(result.transports.find((t) => t.transport === name)?.warnings.map((w) => w.code)).toContain('slow-clients-lost-events');
  });

  it.each(['polling', 'sse'])('%s: the slow clients are late, the others are not', (name) => {
    const { slowClients } = transport(name);
    const { latencyMs, othersLatencyMs } = slowClients ?? {};
    expect(latencyMs?.p50).toBeGreaterThan(1_000);
    expect(othersLatencyMs?.p50).not.toBeNull();
    expect(othersLatencyMs?.p99).toBeLessThan(latencyMs?.p50 ?? 0);
  });

  it('reports what the server did for the streaming transport, and null where it does not apply', () => {
    const sse = transport('sse').slowClients?.server;
    expect(sse?.pauses).toEqual(expect.any(Number));
    expect(sse?.disconnects).toBe(0);
    expect(sse?.skippedEvents).toBe(0);
    expect(transport('polling').slowClients?.server).toEqual({
      pauses: null,
      skippedEvents: null,
      disconnects: null,
      bufferedBytes: null,
      maxSocketBufferedBytes: null,
    });
  });
});
