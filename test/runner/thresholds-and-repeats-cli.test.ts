import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult, type Result } from '../../src/report/model.js';
import { runCli, tempFiles } from '../helpers/cli.js';

const SCENARIO = `name: guard
duration: 1s
warmup: 300ms
clients: { count: 5, rampUp: 100ms }
events: { rate: 20/s, arrival: uniform, audience: all }
transports: { websocket: {} }
thresholds:
  - websocket.events.lost <= 0
`;

describe('thresholds and repeats through bin/push-bench.js', () => {
  let dir: string;
  let run: { code: number; stdout: string; stderr: string };
  let result: Result;

  beforeAll(async () => {
    dir = await tempFiles({ 'guard.yaml': SCENARIO });
    // A limit no real run can meet: delivered events below one.
    run = await runCli(['run', join(dir, 'guard.yaml'), '--repeat', '2', '--threshold', 'websocket.events.delivered < 1', '--out', join(dir, 'out')]);
    result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
  }, 120_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('exits 1 and names the broken threshold', () => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('FAILED websocket.events.delivered < 1');
    expect(run.stderr).toContain('1 threshold broken: websocket.events.delivered < 1');
  });

  it('stores both thresholds with their outcomes', () => {
    expect(result.thresholds.map((t) => [t.expr, t.ok])).toEqual([
      ['websocket.events.lost <= 0', true],
      ['websocket.events.delivered < 1', false],
    ]);
  });

  it('keeps every repeat and reports medians with their spread', () => {
    expect(result.repeats).toHaveLength(2);
    const [websocket] = result.transports;
    expect(websocket?.spread?.['latencyMs.p50']?.n).toBe(2);
    const p50s = result.repeats!.map((r) => r.transports[0]!.latencyMs.p50!);
    expect(websocket?.latencyMs.p50).toBe(Math.min(...p50s));
    expect(result.finishedAt).toBeDefined();
  });

  it('refuses a --threshold for a transport the run does not include (it would never be checked)', async () => {
    const bad = await runCli(['run', join(dir, 'guard.yaml'), '--threshold', 'sse.latency.p99 < 1s', '--out', join(dir, 'never')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--threshold "sse.latency.p99 < 1s" names sse, which this run of guard does not include (it runs websocket)');
  });

  it('refuses a threshold naming an unknown figure before running anything (exit 2)', async () => {
    const bad = await runCli(['run', join(dir, 'guard.yaml'), '--threshold', 'websocket.latency.p42 < 1s', '--out', join(dir, 'never')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('names figure "latency.p42"');
    await expect(readFile(join(dir, 'never', 'result.json'))).rejects.toThrow();
  });
});
