/**
 * The broken fixture server measured by a run (--target): what `check` names as broken shows in
 * the figures, counted exactly. Every event goes to every client, so a client's seq n is the
 * schedule's event n − 1, and the faulted seqs that fall in the measured window are known in
 * advance from the seeded schedule.
 */
import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { publishSchedule } from '../../src/runner/schedule.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { parseTargetUrl } from '../../src/targets/catalog.js';
import { startBrokenServer, type Fault } from './broken-server.js';

const CLIENTS = 4;
const EVERY = 5;

const loaded = loadScenarioText(
  `name: broken
duration: 2s
warmup: 500ms
drain: 800ms
clients: { count: ${CLIENTS}, rampUp: 0s }
events: { rate: 20/s, arrival: uniform, audience: all, payload: 20B }
transports: { polling: { interval: 100ms } }
`,
  'broken.yaml',
);
if (!loaded.ok) throw new Error('the scenario does not load');
const scenario: Scenario = loaded.scenario;

/** Seqs of the measured window that the fixture faults (2, 2 + EVERY, …), per client. */
function faultedInWindow(): number {
  let seq = 0;
  let faulted = 0;
  for (const event of publishSchedule(scenario, scenario.warmupMs + scenario.durationMs)) {
    seq++;
    const inWindow = event.atMs >= scenario.warmupMs;
    if (inWindow && seq >= 2 && (seq - 2) % EVERY === 0) faulted++;
  }
  return faulted;
}

async function runOn(fault: Fault): Promise<TransportResult> {
  const server = await startBrokenServer({ faults: [fault], every: EVERY });
  try {
    const outcome = await runScenario({
      scenario,
      transports: scenario.transports,
      shards: 1,
      target: parseTargetUrl(server.url),
      signal: new AbortController().signal,
      onResult: () => Promise.resolve(),
    });
    if (outcome.error) throw outcome.error;
    return outcome.result.transports[0]!;
  } finally {
    await server.close();
  }
}

describe('the broken fixture server under a run', () => {
  const perClient = faultedInWindow();

  it('a skipped seq is lost, exactly', async () => {
    expect(perClient).toBeGreaterThanOrEqual(5);
    const polling = await runOn('skip-seq');
    expect(polling.events.expected).toBe(40 * CLIENTS);
    expect([polling.events.lost, polling.events.duplicated]).toEqual([perClient * CLIENTS, 0]);
  }, 60_000);

  it('a repeated seq is duplicated, exactly', async () => {
    const polling = await runOn('repeat-seq');
    expect([polling.events.lost, polling.events.duplicated, polling.events.delivered]).toEqual([0, perClient * CLIENTS, 40 * CLIENTS]);
  }, 60_000);
});
