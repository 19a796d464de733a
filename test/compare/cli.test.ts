import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareCommand } from '../../src/cli/compare.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { runCli } from '../helpers/cli.js';
import { fixturePath } from './fixtures.js';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, data: (line) => stdout.push(line), error: (line) => stderr.push(line) };
}

async function compareVia(baseline: string, current: string, ...flags: string[]) {
  const out = capture();
  const code = await main(['node', 'push-bench', 'compare', fixturePath(baseline), fixturePath(current), ...flags], out);
  return { code, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'push-bench-compare-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('compareCommand: exit codes', () => {
  it.each([
    ['baseline', 'better', 0],
    ['baseline', 'baseline', 0],
    ['baseline', 'worse', 1],
    ['baseline', 'missing-transport', 1],
    ['repeats-baseline', 'repeats-current', 1],
  ])('%s → %s exits %d', async (baseline, current, expected) => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    expect(await compareCommand(fixturePath(baseline), fixturePath(current), {}, capture())).toBe(expected);
  });

  it('a wide enough tolerance lets the worse pair pass', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    expect(await compareCommand(fixturePath('baseline'), fixturePath('worse'), { tolerance: '500%' }, capture())).toBe(0);
  });
});

describe('compareCommand: different workloads', () => {
  it('refuses them (exit 2) naming the differences, unless --allow-different-scenarios', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const other = JSON.parse(await readFile(fixturePath('worse'), 'utf8')) as { scenario: Record<string, unknown> };
    other.scenario['duration'] = 60_000;
    const file = join(dir, 'other-workload.json');
    await writeFile(file, JSON.stringify(other));
    await expect(compareCommand(fixturePath('baseline'), file, {}, capture())).rejects.toThrow(/ran different workloads \(duration .* → 60000\)/);
    expect(await compareCommand(fixturePath('baseline'), file, { allowDifferentScenarios: true }, capture())).toBe(0);
  });
});

describe('push-bench compare through main: bad input exits 2 naming the problem', () => {
  it.each([
    [['--tolerance', 'ten'], '--tolerance "ten" is not a percentage; write a non-negative percentage, e.g. --tolerance 10%'],
    [['--tolerance', '-5%'], '--tolerance "-5%" is not a percentage'],
    [['--format', 'html'], '--format "html": unknown format; use one of table, md'],
  ])('%j', async (flags, message) => {
    const result = await compareVia('baseline', 'worse', ...flags);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses another schemaVersion', async () => {
    const result = await compareVia('schema-v2', 'baseline');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${fixturePath('schema-v2')} has schemaVersion 2; push-bench 0.1.0 reads schemaVersion 1 only`);
  });

  it('names every bad file, not just the first', async () => {
    const result = await compareVia('invalid', 'no-such-file');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${fixturePath('invalid')} is not a valid push-bench result:`);
    expect(result.stderr).toContain(`cannot read ${fixturePath('no-such-file')}: no such file or folder`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('output', () => {
  it('table on stderr by default, nothing on stdout', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const result = await compareVia('baseline', 'worse');
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/│ latency p50 \(ms\)\s+│\s+1,001 │\s+1,252 │\s+\+250 \(\+25\.0 %\) │ worse/);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^2 regressions; 1 needs --repeat to judge\. /);
  });

  it('--format md: Markdown on stdout, the headline on stderr', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const result = await compareVia('baseline', 'worse', '--format', 'md');
    expect(result.stdout.split('\n')[0]).toBe('## push-bench compare: notifications — 2 regressions; 1 needs --repeat to judge');
    expect(result.stdout).toContain('<details>');
    expect(result.stderr).toBe('push-bench compare: 2 regressions; 1 needs --repeat to judge');
  });

  it('--format json: one JSON document on stdout with every figure, its verdict and p-values', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const result = await compareVia('repeats-baseline', 'repeats-current', '--format', 'json');
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as {
      regression: boolean;
      headline: string;
      figures: Array<{ transport: string; figure: string; verdict: string; p: number | null; adjustedP: number | null; baseline: number }>;
    };
    expect(document.regression).toBe(true);
    expect(result.stderr).toBe(`push-bench compare: ${document.headline}`);
    const worse = document.figures.filter((row) => row.verdict === 'worse').map((row) => `${row.transport} ${row.figure}`);
    // The CPU per delivery follows the CPU: the same regression, seen per unit of work.
    expect(worse).toEqual(['polling server.cpuMs', 'polling server.cpuMsPerDelivery']);
    const cpu = document.figures.find((row) => row.transport === 'polling' && row.figure === 'server.cpuMs')!;
    expect(cpu.adjustedP).toBeGreaterThanOrEqual(cpu.p!);
    expect(typeof cpu.baseline).toBe('number');
  });

  it('--format json without repeats: p-values are null, a change from 0 is the string "Infinity"', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const result = await compareVia('baseline', 'worse', '--format', 'json');
    const document = JSON.parse(result.stdout) as { figures: Array<{ p: unknown; adjustedP: unknown; relative: unknown }> };
    expect(document.figures.every((row) => row.p === null && row.adjustedP === null)).toBe(true);
    expect(
      document.figures.every((row) => row.relative === null || typeof row.relative === 'number' || row.relative === 'Infinity' || row.relative === '-Infinity'),
    ).toBe(true);
  });

  it('refuses an unknown --format, naming the valid ones', async () => {
    const result = await compareVia('baseline', 'worse', '--format', 'xml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('use one of table, md, json');
  });
});

describe('GITHUB_STEP_SUMMARY', () => {
  it('appends the Markdown to the file it names, after what is there', async () => {
    const summary = join(dir, 'summary-set.md');
    await writeFile(summary, '# earlier step\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const code = await compareCommand(fixturePath('baseline'), fixturePath('worse'), {}, capture());
    expect(code).toBe(1);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## push-bench compare: notifications — 2 regressions; 1 needs --repeat to judge\n')).toBe(true);
    expect(text).toContain('| polling | latency p50 (ms) | 1,001 | 1,252 | +250 (+25.0 %) | 🔴 worse |');
  });

  it('does not touch anything when unset', async () => {
    const summary = join(dir, 'summary-unset.md');
    await writeFile(summary, 'untouched\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', undefined);
    const out = capture();
    await compareCommand(fixturePath('baseline'), fixturePath('worse'), { format: 'md' }, out);
    expect(await readFile(summary, 'utf8')).toBe('untouched\n');
    expect(out.stderr.join('\n')).not.toContain('GITHUB_STEP_SUMMARY');
  });

  it('warns but keeps the verdict when the file cannot be written', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', join(dir, 'no-such-folder', 'summary.md'));
    const out = capture();
    expect(await compareCommand(fixturePath('baseline'), fixturePath('better'), {}, out)).toBe(0);
    expect(out.stderr.at(-1)).toMatch(/^push-bench compare: warning: could not append to GITHUB_STEP_SUMMARY \(.*summary\.md\): no such file or folder$/);
  });
});

describe('the real bin/push-bench.js', () => {
  it('exits 1 on a regression, with the table on stderr', async () => {
    const result = await runCli(['compare', fixturePath('baseline'), fixturePath('worse')], { GITHUB_STEP_SUMMARY: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('2 regressions; 1 needs --repeat to judge. A change counts when it exceeds ±10.0 %');
  });

  it('exits 0 within noise and writes Markdown to stdout and the job summary', async () => {
    const summary = join(dir, 'summary-bin.md');
    const result = await runCli(['compare', fixturePath('repeats-baseline'), fixturePath('repeats-baseline'), '--format', 'md'], {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('## push-bench compare: notifications — No regressions or improvements');
    expect(await readFile(summary, 'utf8')).toBe(`${result.stdout}\n`);
  });

  it('exits 2 on another schemaVersion, without a stack trace', async () => {
    const result = await runCli(['compare', fixturePath('baseline'), fixturePath('schema-v2')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schema-v2\.json has schemaVersion 2; push-bench \S+ reads schemaVersion 1 only/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a bad --tolerance', async () => {
    const result = await runCli(['compare', fixturePath('baseline'), fixturePath('worse'), '--tolerance', 'ten']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tolerance "ten" is not a percentage; write a non-negative percentage, e.g. --tolerance 10%');
  });
});
