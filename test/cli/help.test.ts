/** What a user reads first: every command's --help ends with examples, the exit codes and the docs, and the common flags have short forms. */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../helpers/cli.js';

describe('--help and short flags', () => {
  it.each(['run', 'validate', 'init', 'compare', 'report'])('%s --help ends with examples, the exit codes and where the docs are', async (command) => {
    const { code, stdout } = await runCli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Examples:\n  push-bench ');
    expect(stdout).toContain('Exit codes: 0 ok, 1 the run failed or a threshold broke, 2 bad input, 130 interrupted.');
    expect(stdout).toMatch(/Docs: docs\/\S+\.md/);
  });

  it('run --help lists the threshold figures', async () => {
    const { stdout } = await runCli(['run', '--help']);
    expect(stdout).toContain('latency.{min,p50,p90,p99,p999,max,mean}');
    expect(stdout).toContain('brokerHeld.{peak,atEnd}');
  });

  it('-t, -o, -q, -n and -s do what their long forms do', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: short\nduration: 1s\nwarmup: 100ms\nclients: { count: 2, rampUp: 50ms }\nevents: { rate: 20/s }\n' });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '-t', 'sse', '-o', join(dir, 'out'), '-q', '-n', '1', '-s', 'clients.count=3']);
      expect(code, stderr).toBe(0);
      expect(existsSync(join(dir, 'out', 'result.json'))).toBe(true);
      const result = JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')) as { transports: Array<{ transport: string; clients: number }> };
      expect(result.transports.map((t) => [t.transport, t.clients])).toEqual([['sse', 3]]);
      expect(stderr).not.toContain('│');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
