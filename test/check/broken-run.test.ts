/**
 * The broken fixture server measured by a run (--target): what `check` names as broken shows in
 * the figures, counted exactly. Every event goes to every client, so a client's seq n is the
 * schedule's event n − 1, and the faulted seqs that fall in the measured window are known in
 * advance from the seeded schedule.
 */
import { describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { offsetNs } from '../../src/runner/offline-schedule.js';
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

  it('a chat whose server skips seqs loses exactly the messages it skipped in the window', async () => {
    const server = await startBrokenServer({ faults: ['skip-seq'], every: 3 });
    try {
      const chat = loadScenarioText(
        `name: broken-chat
duration: 2s
warmup: 500ms
drain: 800ms
clients: { count: 6, rampUp: 0s }
chat: { rooms: 2, sendRate: 3/s, payload: 20B }
transports: { polling: { interval: 100ms } }
`,
        'broken-chat.yaml',
      );
      if (!chat.ok) throw new Error('the chat scenario does not load');
      const outcome = await runScenario({
        scenario: chat.scenario,
        transports: chat.scenario.transports,
        shards: 1,
        target: parseTargetUrl(server.url),
        signal: new AbortController().signal,
        onResult: () => Promise.resolve(),
      });
      if (outcome.error) throw outcome.error;
      const polling = outcome.result.transports[0]!;
      // The schedule's first message is the earliest the server saw: its intended time fixes the schedule's zero, and so the window.
      const { skippedIntended, earliestIntended } = server.faulted();
      const [first] = publishSchedule(chat.scenario, 10_000);
      const zeroNs = earliestIntended! - BigInt(offsetNs(first!.atMs));
      const windowStart = zeroNs + 500_000_000n;
      const windowEnd = windowStart + 2_000_000_000n;
      const skippedInWindow = skippedIntended.filter((t) => t >= windowStart && t < windowEnd).length;
      expect(skippedInWindow).toBeGreaterThanOrEqual(3);
      expect(polling.events.expected).toBeGreaterThan(50);
      expect([polling.events.lost, polling.events.duplicated]).toEqual([skippedInWindow, 0]);
      expect(polling.events.delivered + polling.events.lost).toBe(polling.events.expected);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a repeated seq is duplicated, exactly', async () => {
    const polling = await runOn('repeat-seq');
    expect([polling.events.lost, polling.events.duplicated, polling.events.delivered]).toEqual([0, perClient * CLIENTS, 40 * CLIENTS]);
  }, 60_000);
});
