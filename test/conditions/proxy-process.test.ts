/** The proxy processes under a real run: killed mid-phase, named at once, and nothing left behind. */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { startCli, tempFiles } from '../helpers/cli.js';
import { descendants, isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

describe('shaping proxy processes', () => {
  it('a killed proxy stops the phase under proxy-died, fails the run, and leaves no process behind', async () => {
    // A 10-minute window: only stopping at once lets this test end within its timeout.
    const dir = await tempFiles({
      's.yaml':
        'name: proxy\nduration: 10m\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\nnetwork: { latency: 5ms }\ntransports: { sse: {} }\n',
    });
    const run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    try {
      await waitFor(() => run.stderr().includes('sse: measure'), 'the sse phase to start measuring', 60_000);
      const children = descendants(run.child.pid!);
      const proxy = children.find((c) => c.cmdline.includes('proxy-child.js'));
      expect(proxy, children.map((c) => c.cmdline).join('\n')).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 500));
      process.kill(proxy!.pid, 'SIGKILL');
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toContain(`shaping proxy 0 (pid ${proxy!.pid}) was killed by SIGKILL`);
      const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
      expect(result.transports[0]!.warnings.map((w) => w.code)).toContain('proxy-died');
      for (const child of children) expect(isAlive(child.pid), child.cmdline).toBe(false);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
