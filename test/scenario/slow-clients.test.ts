import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import { describeScenario } from '../../src/scenario/summary.js';
import { plannedRun } from '../../src/scenario/timeline.js';
import type { Scenario } from '../../src/scenario/scenario.js';

const planOf = (scenario: Scenario) => plannedRun(scenario, scenario.transports, 1, []);

const valid = (clients: string) => `name: t\nduration: 5s\nclients: ${clients}\n`;

describe('clients.consume and clients.slow', () => {
  it.each([
    ['{ consume: 20/s, slow: 10% }', { consume: { unit: 'events', perSecond: 20 }, share: 0.1 }],
    ['{ consume: 64KB/s }', { consume: { unit: 'bytes', perSecond: 64_000 }, share: 1 }],
    ['{ consume: 2Mbit/s, slow: 100% }', { consume: { unit: 'bytes', perSecond: 250_000 }, share: 1 }],
    ['{ consume: 120/m, slow: 25% }', { consume: { unit: 'events', perSecond: 2 }, share: 0.25 }],
  ])('%s is read as %o', (clients, slow) => {
    const result = loadScenarioText(valid(clients), 'ok.yaml');
    expect(result.ok && result.scenario.clients.slow).toEqual(slow);
  });

  it('says in the validate summary how many clients fall behind, and how slowly', () => {
    const events = loadScenarioText(valid('{ count: 40, consume: 20/s, slow: 10% }'), 'ok.yaml');
    const bytes = loadScenarioText(valid('{ count: 40, consume: 64KB/s }'), 'ok.yaml');
    expect(events.ok && describeScenario(events.scenario, planOf(events.scenario))).toContain('40 clients (4 consume at 20/s)');
    expect(bytes.ok && describeScenario(bytes.scenario, planOf(bytes.scenario))).toContain('40 clients (40 consume at 64000B/s)');
  });

  it('leaves clients.slow out when every client keeps up', () => {
    const result = loadScenarioText(valid('{ count: 5 }'), 'ok.yaml');
    expect(result.ok && result.scenario.clients).toEqual({ count: 5, rampUpMs: 1_000 });
  });

  it.each([
    [
      'a word',
      '{ consume: fast }',
      '3:21',
      'clients.consume: "fast" is not a consume rate; write an event rate such as "20/s" or a size rate such as "64KB/s"',
    ],
    ['a bare number', '{ consume: 20 }', '3:21', 'is not a consume rate'],
    ['zero', '{ consume: 0/s }', '3:21', '"0/s" is too slow; use at least 1/m'],
    ['over 100%', '{ consume: 20/s, slow: 150% }', '3:33', 'clients.slow: "150%" is too large; use at most 100%'],
    ['0%', '{ consume: 20/s, slow: 0% }', '3:33', '"0%" makes no client slow'],
    ['slow without consume', '{ slow: 10% }', '3:18', 'clients.slow: slow says which clients fall behind, consume how slowly; add e.g. consume: 20/s'],
  ])('%s is a located error', (_what, clients, at, text) => {
    const result = loadScenarioText(valid(clients), 'bad.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.errors.map(formatProblem);
    const match = lines.find((line) => line.includes(text));
    expect(match, `no line has ${text} in:\n${lines.join('\n')}`).toBeDefined();
    expect(match).toMatch(new RegExp(`^bad\\.yaml:${at} `));
  });

  it('push-bench validate exits 2 on a bad consume rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'push-bench-slow-'));
    try {
      await writeFile(join(dir, 'bad.yaml'), valid('{ consume: fast, slow: 150% }'));
      const bin = join(import.meta.dirname, '../../bin/push-bench.js');
      const failed = await promisify(execFile)(process.execPath, [bin, 'validate', join(dir, 'bad.yaml')]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/bad\.yaml:3:21 clients\.consume: "fast" is not a consume rate/);
      expect(failed.stderr).toMatch(/bad\.yaml:3:33 clients\.slow: "150%" is too large/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
