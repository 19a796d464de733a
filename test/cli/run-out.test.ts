/** Where `push-bench run` writes, checked before it runs: never an empty name, never over another result unasked. */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../helpers/cli.js';

const TINY = 'name: tiny\nduration: 1s\nwarmup: 0s\nclients: { count: 2, rampUp: 0s }\nevents: { rate: 10/s, audience: all }\ntransports: { websocket: {} }\n';

describe('push-bench run --out', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses an empty --out (exit 2)', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const run = await runCli(['run', join(dir, 's.yaml'), '--out', '']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--out: give a folder, or - for stdout');
  });

  it('refuses to write over a result already there (exit 2, before running), unless --force', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const out = join(dir, 'out');
    expect((await runCli(['run', join(dir, 's.yaml'), '--out', out, '--quiet'])).code).toBe(0);
    const again = await runCli(['run', join(dir, 's.yaml'), '--out', out, '--quiet']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out: .*out already holds a result \(tiny, started .*\); add --force to replace it, or give another folder/);
    expect((await runCli(['run', join(dir, 's.yaml'), '--out', out, '--quiet', '--force'])).code).toBe(0);
  }, 60_000);

  it('gives a scenario named twice its own folder', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const out = join(dir, 'out');
    const run = await runCli(['run', join(dir, 's.yaml'), join(dir, 's.yaml'), '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['tiny', 'tiny-2']);
    expect(await readdir(join(out, 'tiny-2'))).toContain('result.json');
  }, 60_000);

  it('ends with a line saying where the results are', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const out = join(dir, 'out');
    const run = await runCli(['run', join(dir, 's.yaml'), '--out', out, '--format', 'json,csv', '--progress', 'none']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(`push-bench: results in ${out} (result.json, result.csv)`);
  }, 60_000);
});

describe('push-bench run --out - (stdout for scripts)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses several formats, and a one-result format for several results, before running (exit 2)', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const several = await runCli(['run', join(dir, 's.yaml'), '--out', '-', '--format', 'json,csv']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('--out - prints one format on stdout, but --format names 2 (json, csv); give one');
    expect(several.stdout).toBe('');
    const html = await runCli(['run', join(dir, 's.yaml'), join(dir, 's.yaml'), '--out', '-', '--format', 'html']);
    expect(html.code).toBe(2);
    expect(html.stderr).toContain('this run has 2 results and html holds one');
  });

  it('several scenarios: one JSON array (json is the default), one CSV under one header', async () => {
    dir = await tempFiles({ 's.yaml': TINY, 't.yaml': TINY.replace('name: tiny', 'name: tiny-too') });
    const json = await runCli(['run', join(dir, 's.yaml'), join(dir, 't.yaml'), '--out', '-', '-q']);
    expect(json.code, json.stderr).toBe(0);
    const results = JSON.parse(json.stdout) as Array<{ scenario: { name: string }; runId: string }>;
    expect(results.map((r) => r.scenario.name)).toEqual(['tiny', 'tiny-too']);
    expect(new Set(results.map((r) => r.runId)).size).toBe(2);
    expect(json.stderr.trimEnd().split('\n').at(-1)).toBe('push-bench: results on stdout (json)');

    const csv = await runCli(['run', join(dir, 's.yaml'), join(dir, 't.yaml'), '-o', '-', '--format', 'csv', '--csv-layout', 'long', '-q']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('run_id,scenario,started_at,repeat,transport,figure,unit,value');
    expect(lines.filter((line) => line.startsWith('run_id,'))).toHaveLength(1);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[1]))).toEqual(new Set(['tiny', 'tiny-too']));
  }, 90_000);

  it('one scenario: one JSON object, the table on stderr', async () => {
    dir = await tempFiles({ 's.yaml': TINY });
    const run = await runCli(['run', join(dir, 's.yaml'), '--out', '-', '--progress', 'none']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { scenario: { name: string } }).scenario.name).toBe('tiny');
    expect(run.stderr).toContain('latency p50');
  }, 60_000);
});
