import { beforeAll, describe, expect, it } from 'vitest';
import type { Result, TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { loadScenarioText } from '../../src/scenario/load.js';

const SCENARIO = `name: offline-e2e
duration: 4s
warmup: 0s
drain: 1500ms
clients: { count: 20, rampUp: 200ms, offline: { every: 2s, for: 1s, how: close } }
events: { rate: 20/s, arrival: uniform, payload: 100B, audience: all }
transports:
  polling: { interval: 200ms }
  websocket: {}
`;
/** Two transports, a pull and a push one, keep the file short; test/transports/offline.test.ts covers each transport. */
const RUN = ['polling', 'websocket'];

describe('a run with clients that go offline', () => {
  let result: Result;
  const transport = (name: string): TransportResult => result.transports.find((t) => t.transport === name)!;

  beforeAll(async () => {
    const loaded = loadScenarioText(SCENARIO, 'offline-e2e.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const outcome = await runScenario({
      scenario: loaded.scenario,
      transports: loaded.scenario.transports,
      shards: 1,
      signal: new AbortController().signal,
      onResult: () => Promise.resolve(),
    });
    result = outcome.result;
  }, 120_000);

  it.each(RUN)('%s fills the offline section with numbers that add up', (name) => {
    const { offline, events } = transport(name);
    expect(offline).toBeDefined();
    if (!offline) return;
    // Two episodes per client and 4 s are expected on average for 20 clients: well above zero.
    expect(offline.episodes).toBeGreaterThan(5);
    expect(offline.expected).toBeGreaterThan(0);
    expect(offline.expected).toBeLessThan(events.expected);
    expect(offline.recovered + offline.lost).toBe(offline.expected);
    // Default retention keeps everything a client missed: nothing is lost, here or overall.
    expect(offline.lost).toBe(0);
    expect(events.lost).toBe(0);
    expect(events.duplicated).toBe(0);
    expect(offline.recoveredLatencyMs.count).toBe(offline.recovered);
    expect(offline.recoverMs.count).toBeGreaterThan(0);
    expect(offline.recoverMs.count).toBeLessThanOrEqual(offline.episodes);
    // A recovered event waited at least until its client came back: its latency shows the offline time.
    expect(offline.recoveredLatencyMs.max!).toBeGreaterThan(offline.recoverMs.max!);
    // Without heartbeats the server never finds out; with close, nothing is left half-open anyway.
    expect(offline).toMatchObject({ serverHeartbeatCloses: 0, serverHalfOpenMeanMs: null, serverHalfOpenMaxMs: null });
  });

  it('runs what it was asked', () => expect(result.transports.map((t) => t.transport)).toEqual(RUN));

  it('counts the same episodes and missed deliveries for every transport: one seeded schedule', () => {
    const counts = result.transports.map((t) => [t.offline?.episodes, t.offline?.expected]);
    for (const count of counts) expect(count).toEqual(counts[0]);
  });
});
