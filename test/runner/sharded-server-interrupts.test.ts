/** A split server and its backplane end with the run, also on Ctrl-C and when the orchestrator is killed. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backplaneMissing } from '../../src/runner/backplane-process.js';
import { startCli, tempFiles, type CliRun } from '../helpers/cli.js';
import { descendants, isAlive } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const scenario = (backplane: string) => `name: split-interrupt
duration: 4s
warmup: 300ms
clients: { count: 9, rampUp: 200ms }
events: { rate: 10/s, audience: all }
server: { processes: 3, backplane: ${backplane} }
transports: { websocket: {} }
`;

describe('a split server that is interrupted', () => {
  let dir: string | undefined;
  let run: CliRun | undefined;

  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Starts a run and waits for its measured window: by then every server process and the backplane run. */
  async function measuring(backplane: string) {
    dir = await tempFiles({ 's.yaml': scenario(backplane) });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    const current = run;
    await waitFor(() => current.stderr().includes('websocket: measure'), 'the websocket phase to start measuring', 60_000);
    const children = descendants(current.child.pid!);
    // Three server processes, a client process and the backplane (with its guard).
    expect(children.length).toBeGreaterThanOrEqual(5);
    return { current, children };
  }

  it.skipIf(backplaneMissing('redis') !== null)(
    'on SIGINT exits 130 with nothing left: server processes, client process, Redis',
    async () => {
      const { current, children } = await measuring('redis');
      current.child.kill('SIGINT');
      expect(await current.exited).toBe(130);
      await waitFor(() => children.every((c) => !isAlive(c.pid)), 'every child process to be gone', 15_000);
    },
    90_000,
  );

  it.skipIf(backplaneMissing('nats') !== null)(
    'killed outright, leaves nothing behind: the children and NATS go with it',
    async () => {
      const { current, children } = await measuring('nats');
      current.child.kill('SIGKILL');
      await current.exited;
      await waitFor(() => children.every((c) => !isAlive(c.pid)), 'every orphaned child process to exit', 15_000);
    },
    90_000,
  );
});
