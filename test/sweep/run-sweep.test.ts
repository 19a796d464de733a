import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/runner/run.js';
import { checkGrid } from '../../src/sweep/grid.js';
import { SweepSchema } from '../../src/sweep/model.js';
import { runSweep, SWEEP_FILE, type SweepOptions, type SweepPlan } from '../../src/sweep/run-sweep.js';
import { parseVary } from '../../src/scenario/vary.js';
import { loadFixture } from '../report/fixture.js';

const TEXT = 'name: s\nduration: 2s\nwarmup: 0s\nclients: { count: 10, rampUp: 0s }\nevents: { rate: 1/s, audience: all }\ntransports: { sse: {} }\n';

function plan(raw = 'events.rate=1/s,2/s,4/s', text = TEXT): SweepPlan {
  const parsed = parseVary(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  const checked = checkGrid(text, 's.yaml', [parsed.vary], []);
  if (!checked.ok) throw new Error(checked.problems.join('\n'));
  return { file: 's.yaml', text, sets: [], axes: [parsed.vary], repeat: 1, points: checked.points };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-sweep-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** Runs points by returning the fixture result, recording which ran; `stopAfter` interrupts the point after that many. */
function fakeRuns(stopAfter = Infinity) {
  const ran: string[] = [];
  const controller = new AbortController();
  const options: SweepOptions = {
    outDir: dir,
    resume: false,
    force: false,
    signal: controller.signal,
    runPoint: (point) => {
      ran.push(point.key);
      const interrupted = ran.length > stopAfter;
      return Promise.resolve({ result: { ...loadFixture(), scenario: { name: point.key } }, interrupted } satisfies RunOutcome);
    },
  };
  return { ran, options, controller };
}

const saved = async () => SweepSchema.parse(JSON.parse(await readFile(join(dir, SWEEP_FILE), 'utf8')));

describe('runSweep', () => {
  it('runs every point in order and writes sweep.json with each whole result', async () => {
    const { ran, options } = fakeRuns();
    const outcome = await runSweep(plan(), options);
    expect(outcome).toMatchObject({ ok: true, ran: 3, skipped: 0, interrupted: false, failed: 0 });
    expect(ran).toEqual(['events.rate=1/s', 'events.rate=2/s', 'events.rate=4/s']);
    const sweep = await saved();
    expect(sweep.points.map((p) => [p.index, p.values[0], p.status])).toEqual([
      [0, '1/s', 'done'],
      [1, '2/s', 'done'],
      [2, '4/s', 'done'],
    ]);
    expect(sweep.points[1]!.result.transports).toHaveLength(loadFixture().transports.length);
    expect(sweep.finishedAt).toBeDefined();
  });

  it('an interrupted sweep keeps its finished points, and --resume runs only the rest', async () => {
    const first = fakeRuns(1);
    expect(await runSweep(plan(), first.options)).toMatchObject({ ok: true, ran: 1, interrupted: true });
    const partial = await saved();
    expect(partial.points.map((p) => p.key)).toEqual(['events.rate=1/s']);
    expect(partial.finishedAt).toBeUndefined();

    const second = fakeRuns();
    expect(await runSweep(plan(), { ...second.options, resume: true })).toMatchObject({ ok: true, ran: 2, skipped: 1, interrupted: false });
    expect(second.ran).toEqual(['events.rate=2/s', 'events.rate=4/s']);
    const whole = await saved();
    expect(whole.points.map((p) => p.key)).toEqual(['events.rate=1/s', 'events.rate=2/s', 'events.rate=4/s']);
    expect(whole.startedAt).toBe(partial.startedAt);
    expect(whole.finishedAt).toBeDefined();
  });

  it('stops between points when aborted', async () => {
    const { ran, options, controller } = fakeRuns();
    const outcome = await runSweep(plan(), {
      ...options,
      onPoint: ({ ordinal }) => {
        if (ordinal === 2) controller.abort();
      },
    });
    expect(outcome).toMatchObject({ ok: true, interrupted: true, ran: 2 });
    expect(ran).toHaveLength(2);
    const again = await runSweep(plan(), { ...fakeRuns().options, resume: true });
    expect(again).toMatchObject({ ok: true, ran: 1, skipped: 2 });
  });

  it('refuses to touch a sweep already there unless --resume or --force', async () => {
    await runSweep(plan(), fakeRuns().options);
    const refused = await runSweep(plan(), fakeRuns().options);
    expect(refused).toEqual({
      ok: false,
      message: expect.stringContaining('holds a sweep already; add --resume to finish it, --force to start over') as string,
    });
    const forced = fakeRuns();
    expect(await runSweep(plan(), { ...forced.options, force: true })).toMatchObject({ ok: true, ran: 3 });
  });

  it('refuses to resume a sweep of other inputs, or none', async () => {
    expect(await runSweep(plan(), { ...fakeRuns().options, resume: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining('there is no sweep to resume') as string,
    });
    await runSweep(plan(), fakeRuns().options);
    const otherText = await runSweep(plan(undefined, TEXT.replace('count: 10', 'count: 20')), { ...fakeRuns().options, resume: true });
    expect(otherText).toMatchObject({ ok: false, message: expect.stringContaining('the scenario text, --set or --repeat changed') as string });
    const otherValues = await runSweep(plan('events.rate=1/s,8/s'), { ...fakeRuns().options, resume: true });
    expect(otherValues).toMatchObject({ ok: false, message: expect.stringContaining('it varied events.rate=1/s,2/s,4/s') as string });
  });

  it('refuses a sweep.json that is not one', async () => {
    await writeFile(join(dir, SWEEP_FILE), '{"kind":"something else"}');
    expect(await runSweep(plan(), { ...fakeRuns().options, resume: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining('is not a push-bench sweep') as string,
    });
  });
});
