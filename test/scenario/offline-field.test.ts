import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

const scenario = (offline: string) => `name: t\nduration: 5s\nclients:\n  offline: ${offline}\n`;

describe('clients.offline', () => {
  it('reads mean online time, mean offline time and how, close by default', () => {
    const result = loadScenarioText(scenario('{ every: 60s, for: 500ms }'), 'ok.yaml');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.clients.offline).toEqual({ everyMs: 60_000, forMs: 500, how: 'close' });
    const silent = loadScenarioText(scenario('{ every: 2s, for: 1s, how: silent }'), 'ok.yaml');
    if (silent.ok) expect(silent.scenario.clients.offline?.how).toBe('silent');
    const none = loadScenarioText('name: t\n', 'none.yaml');
    if (none.ok) expect(none.scenario.clients.offline).toBeUndefined();
  });

  it.each([
    ['every: 0s', '{ every: 0s, for: 1s }', '4:21', 'clients.offline.every: "0s" is too small; use at least 1ms'],
    ['for: 0s', '{ every: 1s, for: 0s }', '4:30', 'clients.offline.for: "0s" is too small; use at least 1ms'],
    ['how: sleep', '{ every: 1s, for: 1s, how: sleep }', '4:39', 'clients.offline.how: "sleep" is not valid here; use one of close, silent'],
    ['for longer than the run', '{ every: 1s, for: 10s }', '4:30', 'longer than the measured duration (5s); shorten offline.for or lengthen duration'],
    ['a missing for', '{ every: 1s }', '4:12', 'clients.offline.for: is required'],
  ])('%s: a located error', (_what, offline, at, text) => {
    const result = loadScenarioText(scenario(offline), 'bad.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.errors.map(formatProblem);
    const match = lines.find((line) => line.includes(text));
    expect(match, lines.join('\n')).toBeDefined();
    expect(match).toMatch(new RegExp(`^bad\\.yaml:${at} `));
  });

  it('push-bench validate says so in its summary line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'push-bench-offline-'));
    try {
      const file = join(dir, 'ok.yaml');
      await writeFile(file, scenario('{ every: 60s, for: 2s, how: silent }'));
      const bin = join(import.meta.dirname, '../../bin/push-bench.js');
      const { stdout } = await promisify(execFile)(process.execPath, [bin, 'validate', file]);
      expect(stdout).toContain('| 100 clients (offline ~2s every ~1m, silent) |');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('push-bench validate exits 2 on an offline spell longer than the run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'push-bench-offline-'));
    try {
      const file = join(dir, 'long.yaml');
      await writeFile(file, scenario('{ every: 1s, for: 1m }'));
      const bin = join(import.meta.dirname, '../../bin/push-bench.js');
      const failed = await promisify(execFile)(process.execPath, [bin, 'validate', file]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/long\.yaml:4:\d+ clients\.offline\.for: clients stay offline 1m on average/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
