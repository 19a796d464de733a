/** `push-bench report` as a user runs it: the real bin/push-bench.js (built dist/), no TTY. */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exporters } from '../../src/report/registry.js';
import { runCli } from '../helpers/cli.js';
import { loadFixture } from '../report/fixture.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-report-bin-'));
  file = join(dir, 'result.json');
  await copyFile(join(import.meta.dirname, '../report/fixtures/result.json'), file);
});

/** A usage error is one or more plain lines: no stack trace, no "internal error". */
function expectCleanUsageError(stderr: string): void {
  expect(stderr).toMatch(/^push-bench: /);
  expect(stderr).not.toMatch(/\n\s+at |internal error/);
}

describe('push-bench report (real binary)', () => {
  it('--format csv --out - prints the CSV and exits 0', async () => {
    const run = await runCli(['report', file, '--format', 'csv', '--out', '-']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(exporters.csv.serialize(loadFixture()));
    expect(run.stderr).toBe('');
  });

  it('writes report.html beside the result by default', async () => {
    const run = await runCli(['report', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`push-bench: wrote ${join(dir, 'report.html')}\n`);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<canvas id="latency-cdf"');
  });

  it('exits 2 for a missing file, naming it', async () => {
    const run = await runCli(['report', join(dir, 'missing.json'), '--format', 'md']);
    expect(run.code).toBe(2);
    expectCleanUsageError(run.stderr);
    expect(run.stderr).toContain(join(dir, 'missing.json'));
  });

  it('exits 2 for a file that is not JSON', async () => {
    const path = join(dir, 'not-json.json');
    await writeFile(path, 'schemaVersion: 1\n');
    const run = await runCli(['report', path]);
    expect(run.code).toBe(2);
    expectCleanUsageError(run.stderr);
    expect(run.stderr).toContain(`${path} is not JSON`);
  });

  it('exits 2 for another schemaVersion, saying which it reads', async () => {
    const path = join(dir, 'v9.json');
    await writeFile(path, JSON.stringify({ schemaVersion: 9 }));
    const run = await runCli(['report', path, '--format', 'md']);
    expect(run.code).toBe(2);
    expectCleanUsageError(run.stderr);
    expect(run.stderr).toContain('has schemaVersion 9; push-bench 0.1.0 reads schemaVersion 1 only');
  });

  it('exits 2 for an unknown format', async () => {
    const run = await runCli(['report', file, '--format', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('valid formats: table, json, csv, md, html');
  });
});
