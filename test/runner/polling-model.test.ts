import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult, type TransportResult } from '../../src/report/model.js';
import { runCli, tempFiles } from '../helpers/cli.js';

// 20 clients, 40 events/s each to one client: λc = 2/s per client; T = 0.5 s, so λc·T = 1.
const INTERVAL_S = 0.5;
const SCENARIO = `name: polling-model
duration: 10s
warmup: 1s
seed: 5
clients: { count: 20, rampUp: 500ms }
events: { rate: 40/s, arrival: poisson, payload: 50B, audience: one }
transports:
  polling: { interval: 500ms, mode: fixed }
`;

describe('the short-polling model holds on a real run', () => {
  let dir: string;
  let polling: TransportResult;

  beforeAll(async () => {
    dir = await tempFiles({ 'model.yaml': SCENARIO });
    const run = await runCli(['run', join(dir, 'model.yaml'), '--out', join(dir, 'out'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    polling = result.transports[0]!;
  }, 120_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('delivers everything', () => {
    expect(polling.events.lost).toBe(0);
    expect(polling.events.delivered).toBe(polling.events.expected);
    expect(polling.events.delivered).toBeGreaterThan(250);
  });

  it('has a mean latency within 0.4T–0.6T', () => {
    const meanS = (polling.latencyMs.mean ?? 0) / 1_000;
    expect(meanS).toBeGreaterThan(0.4 * INTERVAL_S);
    expect(meanS).toBeLessThan(0.6 * INTERVAL_S);
    expect(polling.model?.meanLatencyMs?.model).toBe(250);
  });

  it('has an empty-poll fraction near e^(−λc·T)', () => {
    const expected = Math.exp(-1);
    expect(polling.model?.emptyFraction?.model).toBeCloseTo(expected, 6);
    const measured = polling.requests.empty / polling.requests.total;
    // ~400 polls: the standard error is about 0.025; 0.1 leaves room for a loaded machine.
    expect(Math.abs(measured - expected)).toBeLessThan(0.1);
  });
});
