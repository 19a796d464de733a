/**
 * A run over four machines, played on one: `push-bench serve` once, four `run --segment i/4`
 * processes against it at once, then `push-bench merge`. The merged counts must be the whole
 * run's (the seeded schedule's totals, nothing lost, as the same run unsegmented counts them),
 * its histogram the bucket-sum of the parts',
 * and parts that do not make one run must be refused, naming the file.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeEncoded, summarizeEncoded } from '../../src/metrics/histogram.js';
import type { Result } from '../../src/report/model.js';
import { publishSchedule } from '../../src/runner/schedule.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runCli, startCli, tempFiles, type CliRun } from '../helpers/cli.js';
import { isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const SCENARIO = `name: four-machines
duration: 3s
warmup: 1s
seed: 11
clients: { count: 40, rampUp: 500ms }
events: { rate: 25/s, arrival: poisson, payload: 64B, audience: 10% }
transports: { websocket: {}, sse: {} }
thresholds: [ websocket.events.lost <= 0 ]
`;
/** Time for four Node processes to start and connect on a loaded 2-core machine before the agreed start. */
const START_AHEAD_MS = 18_000;

let dir: string;
let serve: CliRun;
let url: string;
const parts = [1, 2, 3, 4].map((i) => `part${i}/result.json`);
let merged: Result;
let unsegmented: Result;
let segments: Array<{ code: number; stderr: string }>;

beforeAll(async () => {
  dir = await tempFiles({ 's.yaml': SCENARIO });
  serve = startCli(['serve', '--port', '0'], {}, dir);
  url = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+/.exec(serve.stdout() + serve.stderr())?.[0], 'push-bench serve to listen');
  const startAt = new Date(Date.now() + START_AHEAD_MS).toISOString();
  segments = await Promise.all(
    [1, 2, 3, 4].map((i) =>
      runCli(
        ['run', 's.yaml', '-t', 'websocket', '--target', url, '--segment', `${i}/4`, '--start-at', startAt, '-o', `part${i}`, '--format', 'json', '-q'],
        {},
        dir,
      ),
    ),
  );
  for (const segment of segments) expect(segment.code, segment.stderr).toBe(0);
  const merging = await runCli(['merge', ...parts, '-o', 'merged', '--format', 'json,csv,md'], {}, dir);
  expect(merging.stderr).toContain('merged 4 segments');
  expect(merging.code).toBe(0);
  merged = JSON.parse(await readFile(join(dir, 'merged/result.json'), 'utf8')) as Result;
  // The same run on one machine, against the same server (reset by it, now that the segments are done).
  const whole = await runCli(['run', 's.yaml', '-t', 'websocket', '--target', url, '-o', 'whole', '--format', 'json', '-q'], {}, dir);
  expect(whole.code, whole.stderr).toBe(0);
  unsegmented = JSON.parse(await readFile(join(dir, 'whole/result.json'), 'utf8')) as Result;
}, 120_000);

afterAll(async () => {
  if (serve && isAlive(serve.child.pid!)) {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
});

const readPart = async (i: number) => JSON.parse(await readFile(join(dir, parts[i - 1]!), 'utf8')) as Result;

describe('four segments merged', () => {
  it('each segment ran its own quarter of the clients against the shared server', async () => {
    for (const segment of segments) expect(segment.code, segment.stderr).toBe(0);
    const firsts = [];
    for (const i of [1, 2, 3, 4]) {
      const part = await readPart(i);
      expect(part.segment).toMatchObject({ index: i, count: 4, clients: 10, fleetClients: 40 });
      expect(part.segment!.clock.uncertaintyMs).not.toBeNull();
      firsts.push(part.segment!.firstClient);
      expect(part.transports[0]!.clients).toBe(10);
    }
    expect(firsts).toEqual([0, 10, 20, 30]);
  });

  it("adds up to the whole run's schedule, with nothing lost", () => {
    const loaded = loadScenarioText(SCENARIO, 's.yaml');
    if (!loaded.ok) throw new Error('scenario');
    const inWindow = [...publishSchedule(loaded.scenario, 4_000)].filter((e) => e.atMs >= 1_000);
    const expected = inWindow.reduce((sum, e) => sum + (e.to === 'all' ? 40 : e.to.length), 0);
    const [websocket] = merged.transports;
    expect(websocket!.clients).toBe(40);
    expect(websocket!.events).toMatchObject({ published: inWindow.length, expected, delivered: expected, lost: 0, duplicated: 0 });
    expect(merged.segments?.parts.map((p) => p.index)).toEqual([1, 2, 3, 4]);
    expect(websocket!.events).toEqual(unsegmented.transports[0]!.events);
    expect(merged.thresholds).toEqual([{ expr: 'websocket.events.lost <= 0', actual: 0, ok: true }]);
  });

  it("holds the bucket-sum of the parts' histograms, its percentiles read from it", async () => {
    const partsRead = await Promise.all([1, 2, 3, 4].map(readPart));
    const sum = mergeEncoded(...partsRead.map((p) => p.segment!.transports[0]!.clients.latency));
    const [websocket] = merged.transports;
    expect(summarizeEncoded(websocket!.latencyHistogram!)).toEqual(summarizeEncoded(sum));
    expect(websocket!.latencyMs).toEqual(summarizeEncoded(sum));
    expect(websocket!.latencyMs.count).toBe(partsRead.reduce((n, p) => n + p.transports[0]!.latencyMs.count, 0));
    const requests = partsRead.reduce((n, p) => n + p.transports[0]!.requests.total, 0);
    expect(websocket!.requests.total).toBe(requests);
    expect(websocket!.requests.perDelivery).toBeCloseTo(requests / websocket!.events.delivered, 12);
  });
});

describe('push-bench merge refuses parts that are not one run', () => {
  it('a segment given twice, naming the file', async () => {
    const { code, stderr } = await runCli(['merge', ...parts, parts[1]!, '-o', 'x'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`${parts[1]} is segment 2/4 again`);
  });

  it('a missing segment', async () => {
    const { code, stderr } = await runCli(['merge', ...parts.slice(0, 3), '-o', 'x'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('segment 4/4 missing');
  });

  it('a part of another run', async () => {
    await cp(join(dir, 'part4'), join(dir, 'other4'), { recursive: true });
    const other = await readPart(4);
    other.segment!.startAt = new Date(Date.parse(other.segment!.startAt) + 60_000).toISOString();
    await writeFile(join(dir, 'other4/result.json'), JSON.stringify(other));
    const { code, stderr } = await runCli(['merge', ...parts.slice(0, 3), 'other4/result.json', '-o', 'x'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('other4/result.json is from another run');
  });

  it('a whole result, not a part', async () => {
    await writeFile(join(dir, 'whole.json'), JSON.stringify({ ...merged, segments: undefined }));
    const { code, stderr } = await runCli(['merge', 'whole.json', '-o', 'x'], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('whole.json is not a partial result');
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
