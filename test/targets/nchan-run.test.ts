/**
 * A real nginx + nchan measured through its adapter: every transport nchan serves delivers every
 * expected event, counted by the seq each client rebuilds from the schedule (nchan has none), to
 * clients named one by one (one publish to many channels) and to all (the broadcast channel),
 * through offline spells that resume from nchan's own message ids. Server figures are "not
 * measured" unless its process is watched.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/report/model.js';
import { startNchan } from '../../src/runner/nchan-process.js';
import { startReferenceServer } from '../../src/server/index.js';
import { runScenario } from '../../src/runner/run.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import { parseTargetUrl } from '../../src/targets/catalog.js';
import { runCli, tempFiles } from '../helpers/cli.js';
import { nchanInstalled } from '../helpers/nchan.js';
import { Cleanup } from '../transports/helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TRANSPORTS = 'transports: { polling: { interval: 200ms }, long-polling: {}, sse: {}, websocket: {} }';

async function runOnNchan(yaml: string, url: string, targetPid?: number): Promise<Result> {
  const loaded = loadScenarioText(yaml, 'nchan.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
  const outcome = await runScenario({
    scenario: loaded.scenario,
    transports: loaded.scenario.transports,
    shards: 1,
    target: parseTargetUrl(`nchan+${url}`),
    ...(targetPid === undefined ? {} : { targetPid }),
    signal: new AbortController().signal,
    onResult: () => Promise.resolve(),
  });
  if (outcome.error) throw outcome.error;
  return outcome.result;
}

// Skipped only on a developer machine without nchan; CI installs it (.ci/run), so there a missing nchan fails.
describe.skipIf(!nchanInstalled() && !process.env.CI)('nchan as a target', () => {
  it('delivers to clients named one by one on every transport, through offline spells, and reads its CPU only from its process', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 20 }));
    const result = await runOnNchan(
      `name: nchan-named
duration: 2s
warmup: 300ms
drain: 1500ms
clients: { count: 10, rampUp: 0s, offline: { every: 1s, for: 400ms, how: close } }
events: { rate: 40/s, arrival: uniform, audience: 30%, payload: 40B }
${TRANSPORTS}
`,
      nchan.url,
      nchan.pid,
    );
    expect(result.target).toEqual({ url: `nchan+${nchan.url}`, started: false, adapter: 'nchan' });
    expect(result.transports.map((t) => t.transport)).toEqual(['polling', 'long-polling', 'sse', 'websocket']);
    for (const t of result.transports) {
      // 80 events in the window, each to 3 of the 10 clients.
      expect(t.events.expected, t.transport).toBe(240);
      expect([t.events.delivered, t.events.lost, t.events.duplicated], t.transport).toEqual([240, 0, 0]);
      expect(t.offline?.episodes, t.transport).toBeGreaterThan(0);
      expect(t.server.cpuMs, t.transport).toBeGreaterThan(0);
      // nchan has no /stats: what only it could tell stays unknown, never 0.
      expect(t.server.elu, t.transport).toBeNull();
    }
  }, 90_000);

  it('delivers broadcasts on every transport, with server figures not measured when its process is not given', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 20 }));
    const result = await runOnNchan(
      `name: nchan-all
duration: 2s
warmup: 300ms
clients: { count: 6, rampUp: 0s }
events: { rate: 20/s, arrival: uniform, audience: all, payload: 40B }
${TRANSPORTS}
`,
      nchan.url,
    );
    for (const t of result.transports) {
      expect([t.events.expected, t.events.delivered, t.events.lost, t.events.duplicated, t.events.reordered], t.transport).toEqual([240, 240, 0, 0, 0]);
      expect(t.server.cpuMs, t.transport).toBeNull();
    }
  }, 90_000);

  it('from the command line: runs on nchan+URL, and refuses (exit 2) a target that is not there, is not nchan, or a heartbeat nchan cannot take', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 20 }));
    const reference = cleanup.track((r) => r.close(), await startReferenceServer({ port: 0 }));
    const dir = await tempFiles({
      's.yaml': `name: cli\nduration: 1s\nwarmup: 200ms\ndrain: 500ms\nclients: { count: 3, rampUp: 0s }\nevents: { rate: 10/s, arrival: uniform, audience: all }\ntransports: { sse: {} }\n`,
      'beat.yaml': `name: beat\nduration: 1s\nclients: { count: 3 }\nevents: { rate: 10/s }\ntransports: { sse: { heartbeat: 1s } }\n`,
      'paths.yaml': `name: paths\nduration: 1s\nclients: { count: 3 }\nevents: { rate: 10/s }\ntarget: { paths: { publish: /push } }\ntransports: { sse: {} }\n`,
    });
    const ok = await runCli(['run', `${dir}/s.yaml`, '--target', `nchan+${nchan.url}`, '--out', `${dir}/out`, '--format', 'json']);
    expect(ok.stderr).toContain(`target nchan+${nchan.url}: a server on this machine`);
    expect(ok.code, ok.stderr).toBe(0);
    const refused = await runCli(['run', `${dir}/s.yaml`, '--target', 'nchan+http://127.0.0.1:1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--target nchan+http://127.0.0.1:1: nothing answers there (ECONNREFUSED)');
    const notNchan = await runCli(['run', `${dir}/s.yaml`, '--target', `nchan+${reference.url}`]);
    expect(notNchan.code).toBe(2);
    expect(notNchan.stderr).toContain('POST /pub answered 404');
    expect(notNchan.stderr).toContain('not an nchan publisher location');
    const unknown = await runCli(['run', `${dir}/s.yaml`, '--target', `kafka+${nchan.url}`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"kafka+" names no server push-bench knows');
    const beat = await runCli(['run', `${dir}/beat.yaml`, '--target', `nchan+${nchan.url}`]);
    expect(beat.code).toBe(2);
    expect(beat.stderr).toContain("transports.sse.heartbeat: nchan's pings are its own configuration");
    const unusedPaths = await runCli(['run', `${dir}/paths.yaml`]);
    expect(unusedPaths.code).toBe(2);
    expect(unusedPaths.stderr).toContain("target.paths (publish) place the endpoints of an adapter's server, and this run measures none");
  }, 90_000);

  it('side by side: --target ref,nchan+URL runs the scenario on both, a folder each, and compares nchan against the reference server', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 20 }));
    const dir = await tempFiles({
      // The scenario's own target names nchan's paths (here its defaults); --target wins over its URL.
      's.yaml': `name: both\nduration: 1s\nwarmup: 200ms\ndrain: 500ms\nclients: { count: 3, rampUp: 0s }\nevents: { rate: 10/s, arrival: uniform, audience: all }\ntarget: { url: http://127.0.0.1:1, paths: { publish: /pub, longPoll: /long-poll } }\ntransports: { long-polling: {}, websocket: {} }\n`,
    });
    const run = await runCli(['run', `${dir}/s.yaml`, '--target', `ref,nchan+${nchan.url}`, '--out', `${dir}/out`, '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const ref = JSON.parse(await readFile(`${dir}/out/both-ref/result.json`, 'utf8')) as Result;
    const onNchan = JSON.parse(await readFile(`${dir}/out/both-nchan/result.json`, 'utf8')) as Result;
    expect(ref.target.started).toBe(true);
    expect(onNchan.target).toMatchObject({ url: `nchan+${nchan.url}`, started: false, adapter: 'nchan' });
    for (const result of [ref, onNchan]) for (const t of result.transports) expect([t.events.expected, t.events.lost], t.transport).toEqual([30, 0]);
    const markdown = await readFile(`${dir}/out/both-nchan/compare-ref.md`, 'utf8');
    expect(markdown).toContain('| websocket |');
    expect(run.stderr).toMatch(/transport\s+│ figure\s+│\s+ref │\s+nchan │/);
  }, 90_000);
});
