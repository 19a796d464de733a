import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { startCli, tempFiles, type CliRun } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { descendants, isAlive } from '../helpers/processes.js';

const scenario = (transports: string) => `name: interrupt
duration: 3s
warmup: 500ms
clients: { count: 10, rampUp: 200ms }
events: { rate: 10/s, audience: all }
transports: ${transports}
`;

describe('a run that is interrupted or loses a client process', () => {
  let dir: string | undefined;
  let run: CliRun | undefined;

  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('on SIGINT exits 130, leaves no child process, and keeps the transports that finished', async () => {
    dir = await tempFiles({ 's.yaml': scenario('{ long-polling: {}, sse: {}, websocket: {} }') });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    const current = run;
    await waitFor(() => current.stderr().includes('sse: measure'), 'the sse phase to start measuring', 60_000);
    const children = descendants(current.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2); // the server and at least one client process
    current.child.kill('SIGINT');
    const code = await current.exited;
    expect(code).toBe(130);
    expect(current.stderr()).toContain('interrupted');
    await waitFor(() => children.every((c) => !isAlive(c.pid)), 'every child process to be gone', 10_000);
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    expect(result.transports.map((t) => t.transport)).toEqual(['long-polling']);
    expect(result.warnings.map((w) => w.code)).toContain('interrupted');
    expect(result.finishedAt).toBeUndefined();
  }, 90_000);

  it('leaves no child process behind when the orchestrator itself is killed', async () => {
    dir = await tempFiles({ 's.yaml': scenario('{ websocket: {} }') });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')]);
    const current = run;
    await waitFor(() => current.stderr().includes('websocket: measure'), 'the websocket phase to start measuring', 60_000);
    const children = descendants(current.child.pid!);
    expect(children.length).toBeGreaterThanOrEqual(2);
    current.child.kill('SIGKILL');
    await current.exited;
    // No signal reaches the children: they notice their parent's IPC channel close and exit.
    await waitFor(() => children.every((c) => !isAlive(c.pid)), 'every orphaned child process to exit', 15_000);
  }, 90_000);

  it('reports a client process that dies mid-run, counts its events as lost, and does not hang', async () => {
    dir = await tempFiles({ 's.yaml': scenario('{ websocket: {} }') });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--client-processes', '2']);
    const current = run;
    await waitFor(() => current.stderr().includes('websocket: measure'), 'the websocket phase to start measuring', 60_000);
    const clients = descendants(current.child.pid!).filter((c) => c.cmdline.includes('client-process.js'));
    expect(clients).toHaveLength(2);
    process.kill(clients[0]!.pid, 'SIGKILL');
    // The figures are written, but a run whose generator broke did not succeed.
    expect(await current.exited).toBe(1);
    expect(current.stderr()).toContain('the run failed');
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    const websocket = result.transports[0]!;
    expect(websocket.warnings.map((w) => w.code)).toContain('client-process-died');
    // Half of the 10 clients reported nothing: their share of the deliveries is lost, not hidden.
    expect(websocket.events.lost).toBe(websocket.events.expected / 2);
    expect(websocket.events.delivered).toBe(websocket.events.expected / 2);
    expect(current.stderr()).toContain('client-process-died');
  }, 90_000);
});
