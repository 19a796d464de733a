/** A child process that dies under a run is reported at once, by name, and what was measured is kept. */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { startCli, tempFiles, type CliRun } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { descendants } from '../helpers/processes.js';

describe('a child process that dies or stops mid-run', () => {
  let dir: string | undefined;
  let run: CliRun | undefined;
  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a killed reference server: the phase stops at once, the process and the signal are named, keeps the figures so far (incomplete) and fails', async () => {
    // A 10-minute window: only stopping at once lets this test end within its timeout.
    dir = await tempFiles({
      's.yaml':
        'name: faults\nduration: 10m\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports: { sse: {}, websocket: {} }\n',
    });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    const current = run;
    await waitFor(() => current.stderr().includes('sse: measure'), 'the sse phase to start measuring', 60_000);
    const server = descendants(current.child.pid!).find((c) => c.cmdline.includes('server/child.js'));
    expect(server).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the window hold some deliveries
    process.kill(server!.pid, 'SIGKILL');
    expect(await current.exited).toBe(1);
    expect(current.stderr()).toContain(`the reference server (pid ${server!.pid}) was killed by SIGKILL`);
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    expect(result.transports.map((t) => t.transport)).toEqual(['sse']);
    const sse = result.transports[0]!;
    expect(sse.warnings.map((w) => w.code)).toContain('server-died');
    expect(sse.durationMs).toBeGreaterThan(0);
    expect(sse.durationMs).toBeLessThan(600_000);
    expect(sse.events.delivered, JSON.stringify(sse)).toBeGreaterThan(0);
    expect(sse.server).toEqual({ cpuMs: null, rssPeakBytes: null, elu: null, heartbeats: null, heartbeatBytes: null });
    // The series keeps the seconds up to the death, ends with the disconnect, and still adds up to the window's deliveries.
    const series = sse.series!;
    expect(series.phases.map((p) => p.name)).toEqual(['connect', 'warm-up', 'measure', 'disconnect']);
    expect(series.counted.reduce((a, b) => a + b, 0)).toBe(sse.events.delivered);
    expect(result.warnings.map((w) => w.code)).toContain('run-failed');
    expect(result.finishedAt).toBeUndefined();
  }, 90_000);

  it('a stopped client process: reported as silent while stopped, and its stall becomes a warning in the result', async () => {
    dir = await tempFiles({
      's.yaml':
        'name: stalls\nduration: 8s\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports: { websocket: {} }\n',
    });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    const current = run;
    await waitFor(() => current.stderr().includes('websocket: measure'), 'the phase to start measuring', 60_000);
    const client = descendants(current.child.pid!).find((c) => c.cmdline.includes('client-process.js'));
    expect(client).toBeDefined();
    process.kill(client!.pid, 'SIGSTOP');
    try {
      await waitFor(() => current.stderr().includes(`(pid ${client!.pid}) has sent nothing for`), 'the silence to be reported', 20_000);
    } finally {
      process.kill(client!.pid, 'SIGCONT');
    }
    await current.exited;
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    const stalled = result.transports[0]!.warnings.find((w) => w.code === 'generator-stalled');
    expect(stalled?.message).toContain(`client process 0 (pid ${client!.pid}) sent nothing for up to`);
  }, 90_000);
});
