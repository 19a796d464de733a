/**
 * Clients that fall behind, end to end: the runner's server and client processes, a quarter of
 * the clients consuming 5 events/s while 40/s reach each of them. Their loss is exact (from
 * the schedule), their latency grows, the others' stays small.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseResult, type Result, type TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { slowClientSet } from '../../src/runner/slow-clients.js';
import { loadScenarioText } from '../../src/scenario/load.js';

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
  const transport = (name: string): TransportResult => {
    const found = result.transports.find((t) => t.transport === name);
    if (!found) throw new Error(`no ${name} in the result`);
    return found;
  };

  beforeAll(async () => {
    const loaded = loadScenarioText(SCENARIO, 'slow-e2e.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const { scenario } = loaded;
    const outcome = await runScenario({
      scenario,
      transports: scenario.transports,
      shards: 2,
      signal: new AbortController().signal,
      onResult: () => Promise.resolve(),
    });
    result = parseResult(JSON.parse(JSON.stringify(outcome.result)));
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
