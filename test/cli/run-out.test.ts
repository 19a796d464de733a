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
});
