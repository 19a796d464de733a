/** `push-bench sweep` as a user runs it: checked before anything runs, written point by point, resumable after Ctrl-C. */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SweepSchema } from '../../src/sweep/model.js';
import { runCli, startCli, tempFiles } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const TINY =
  'name: tiny\nduration: 1s\nwarmup: 0s\nclients: { count: 4, rampUp: 0s }\nevents: { rate: 5/s, audience: all }\ndrain: 500ms\ntransports: { sse: {} }\n';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sweepIn = async (folder: string) => SweepSchema.parse(JSON.parse(await readFile(join(folder, 'sweep.json'), 'utf8')));

describe('push-bench sweep: bad input exits 2 before anything runs', () => {
  it.each([
    [['--vary', 'events.rate'], '--vary "events.rate" is not path=values'],
    [['--vary', 'events.rate=1/s,fast'], '(--vary events.rate, value fast) events.rate: "fast" is not a rate'],
    [['--vary', 'events.rat=1/s,2/s'], '(--vary events.rat) events.rat: unknown key "rat"'],
    [['--vary', 'events.rate=1/s', '--budget', 'latency.p99 < 2s'], '--budget and --minimise go together'],
    [['--vary', 'events.rate=1/s', '--budget', 'latency.p99 < 2s', '--minimise', 'bytes'], '--minimise "bytes" is not a figure'],
    [['--vary', 'events.rate=1/s', '--set', 'duration=1h'], 'add --yes to run it'],
    [['--vary', 'events.rate=1/s', '--resume'], '--resume needs --out'],
  ])('%j', async (flags, message) => {
    dir = await tempFiles({ 's.yaml': TINY });
    const run = await runCli(
      ['sweep', join(dir, 's.yaml'), ...flags, '-o', join(dir, 'out')].filter(
        (f, i, all) => !(flags.includes('--resume') && (f === '-o' || all[i - 1] === '-o')),
      ),
    );
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('push-bench sweep', () => {
  it('runs every point, writes sweep.json and sweep.md, and says where they are', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const out = join(dir, 'out');
    const run = await runCli([
      'sweep',
      join(dir, 's.yaml'),
      '--vary',
      'events.rate=2/s,8/s',
      '-o',
      out,
      '--progress',
      'plain',
      '--budget',
      'latency.p99 < 1h',
      '--minimise',
      'bytes.perDelivery',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const sweep = await sweepIn(out);
    expect(sweep.points.map((p) => [p.key, p.status, p.result.scenario['name']])).toEqual([
      ['events.rate=2/s', 'done', 'tiny'],
      ['events.rate=8/s', 'done', 'tiny'],
    ]);
    expect(sweep.points[1]!.result.transports[0]!.events.published).toBeGreaterThan(sweep.points[0]!.result.transports[0]!.events.published);
    expect(sweep.finishedAt).toBeDefined();
    expect(await readFile(join(out, 'sweep.md'), 'utf8')).toContain('# push-bench sweep: tiny over events.rate (2/s, 8/s)');
    expect(run.stderr).toContain('push-bench: sweep tiny: 2 points × 1 transports, about');
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(`push-bench: sweep in ${out} (sweep.json, sweep.md, sweep.html, sweep.csv)`);
    expect(sweep.choose).toEqual({ budget: 'latency.p99 < 1h', minimise: 'bytes.perDelivery' });

    // push-bench report draws a sweep again from its sweep.json, recommendation included.
    const again = await runCli(['report', join(out, 'sweep.json'), '--format', 'md', '--out', '-']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(await readFile(join(out, 'sweep.md'), 'utf8'));
    expect(again.stdout).toContain('Cheapest in budget (latency.p99 < 1h, minimising bytes.perDelivery) at 2/s: sse (the only one in budget)');
    const csv = (await readFile(join(out, 'sweep.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toBe('events.rate,run_id,scenario,started_at,repeat,transport,figure,unit,value');
    expect(new Set(csv.slice(1, -1).map((line) => line.split(',')[0]))).toEqual(new Set(['2/s', '8/s']));
    const page = await runCli(['report', join(out, 'sweep.json')]);
    expect(page.stderr).toContain(`wrote ${join(out, 'sweep.html')}`);
  }, 90_000);

  it('Ctrl-C between points keeps the finished ones; --resume runs only the rest', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const out = join(dir, 'out');
    const args = ['sweep', join(dir, 's.yaml'), '--vary', 'events.rate=1/s,2/s,4/s', '-o', out, '--progress', 'plain'];
    const first = startCli(args);
    await waitFor(() => first.stderr().includes('point 2 of 3'), 'the second point', 60_000);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.stderr()).toContain('--resume');
    expect((await sweepIn(out)).points.map((p) => p.key)).toEqual(['events.rate=1/s']);

    const refused = await runCli(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds a sweep already; add --resume to finish it');

    const resumed = await runCli([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('point 1 of 2: events.rate=2/s');
    expect(resumed.stderr).toContain('resumed: 1 point kept from before, 2 run now');
    const sweep = await sweepIn(out);
    expect(sweep.points.map((p) => p.key)).toEqual(['events.rate=1/s', 'events.rate=2/s', 'events.rate=4/s']);
    expect(sweep.finishedAt).toBeDefined();
  }, 120_000);
});

describe('push-bench sweep --find', () => {
  it('finds, per transport, the largest value that still meets --until, by real runs', async () => {
    dir = await tempFiles({ 's.yaml': TINY.replace('count: 4', 'count: 2') });
    const out = join(dir, 'out');
    // Each client gets a few events in the 1 s window: 50 deliveries are reached somewhere between 5 and 30 clients.
    const run = await runCli(['sweep', join(dir, 's.yaml'), '--find', 'clients.count', '--until', 'events.delivered < 50', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const knee = JSON.parse(await readFile(join(out, 'knee.json'), 'utf8')) as {
      path: string;
      until: string;
      knees: Array<{ transport: string; knee: { held: number; broke: number; stoppedBy: string; steps: Array<{ value: number }> } }>;
    };
    expect(knee).toMatchObject({ path: 'clients.count', until: 'events.delivered < 50' });
    const [sse] = knee.knees;
    expect(sse?.transport).toBe('sse');
    expect(sse?.knee.stoppedBy).toBe('condition');
    expect(sse?.knee.steps.slice(0, 3).map((s) => s.value)).toEqual([2, 4, 8]);
    expect(sse?.knee.held).toBeGreaterThanOrEqual(5);
    expect(sse?.knee.held).toBeLessThanOrEqual(30);
    expect(sse!.knee.broke - sse!.knee.held).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`sse: events.delivered < 50 holds up to clients.count=${sse?.knee.held}; events.delivered was \\d+ at clients.count=${sse?.knee.broke}`),
    );
  }, 120_000);

  it('--find needs --until, and not --vary', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    expect((await runCli(['sweep', join(dir, 's.yaml'), '--find', 'clients.count'])).stderr).toContain('--find and --until go together');
    expect(
      (await runCli(['sweep', join(dir, 's.yaml'), '--find', 'clients.count', '--until', 'latency.p99 < 1s', '--vary', 'events.rate=1/s'])).stderr,
    ).toContain('leave out --vary');
    expect((await runCli(['sweep', join(dir, 's.yaml'), '--find', 'clients.count', '--until', 'latency.p99 < 1s', '--resume'])).stderr).toContain(
      '--find takes no --resume',
    );
    const badUntil = await runCli(['sweep', join(dir, 's.yaml'), '--find', 'clients.count', '--until', 'latency.p100 < 1s']);
    expect(badUntil.code).toBe(2);
    expect(badUntil.stderr).toContain('--until "latency.p100 < 1s" names figure "latency.p100"');
    const noStart = await runCli(['sweep', join(dir, 's.yaml'), '--find', 'transports.sse.heartbeat', '--until', 'latency.p99 < 1s']);
    expect(noStart.code).toBe(2);
    expect(noStart.stderr).toContain('--find transports.sse.heartbeat');
  });
});
