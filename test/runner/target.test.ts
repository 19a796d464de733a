/**
 * --target: a server that was already running, measured instead of one push-bench starts. The
 * same scenario gives the same delivery counts either way; a target without /stats has its
 * server figures "not measured" (null), never zeros; a target that is not there, or is not a
 * push-bench server, is refused before anything runs (exit 2). --target-pid reads its process's
 * CPU and memory from /proc.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { parseTargetUrl } from '../../src/targets/catalog.js';
import { runCli, tempFiles } from '../helpers/cli.js';

const SCENARIO = `name: target
duration: 2s
warmup: 300ms
drain: 500ms
clients: { count: 5, rampUp: 0s }
events: { rate: 20/s, arrival: uniform, audience: all, payload: 50B }
transports: { polling: { interval: 200ms }, sse: {} }
`;

async function run(
  target?: string,
  targetPid?: number,
): Promise<{ transports: TransportResult[]; target: { url: string; started?: boolean | undefined; adapter?: string | undefined } }> {
  const loaded = loadScenarioText(SCENARIO, 'target.yaml');
  if (!loaded.ok) throw new Error('the scenario does not load');
  const outcome = await runScenario({
    scenario: loaded.scenario,
    transports: loaded.scenario.transports,
    shards: 1,
    ...(target ? { target: parseTargetUrl(target) } : {}),
    ...(targetPid === undefined ? {} : { targetPid }),
    signal: new AbortController().signal,
    onResult: () => Promise.resolve(),
  });
  if (outcome.error) throw outcome.error;
  return outcome.result;
}

/** Forwards every request to `upstream` except /stats, which it does not have: a foreign server without the reference server's figures. */
function withoutStats(upstream: string): Promise<Server> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/stats')) return void res.writeHead(404).end('{"error":"not_found"}');
    const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('run --target', () => {
  let reference: RunningServer;
  beforeAll(async () => {
    reference = await startReferenceServer();
  });
  afterAll(async () => {
    await reference.close();
  });

  it('measures a running server as it measures its own: same deliveries, server figures from its /stats', async () => {
    const own = await run();
    const theirs = await run(reference.url);
    expect(own.target.started).toBe(true);
    expect(theirs.target).toEqual({ url: reference.url, started: false, adapter: 'contract' });
    for (const [index, transport] of theirs.transports.entries()) {
      expect(transport.events, transport.transport).toEqual(own.transports[index]!.events);
      expect(transport.events.lost, transport.transport).toBe(0);
      expect(transport.server.cpuMs, transport.transport).not.toBeNull();
    }
  }, 60_000);

  it('a target without /stats: every event still counted, its server figures not measured (null)', async () => {
    const proxy = await withoutStats(reference.url);
    try {
      const result = await run(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      for (const transport of result.transports) {
        expect(transport.events.expected, transport.transport).toBe(200);
        expect(transport.events.lost, transport.transport).toBe(0);
        expect(transport.server).toMatchObject({ cpuMs: null, rssPeakBytes: null, elu: null });
      }
      expect(result.transports[1]!.server.heartbeats).toBeNull();
      // With its process named, CPU and peak memory come from /proc (the reference server runs in this very process here).
      const watched = await run(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, process.pid);
      for (const transport of watched.transports) {
        expect(transport.server.cpuMs, transport.transport).toBeGreaterThan(0);
        expect(transport.server.rssPeakBytes, transport.transport).toBeGreaterThan(10_000_000);
        expect(transport.server.elu, transport.transport).toBeNull();
      }
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 60_000);

  it('refuses, before anything runs, a target that is not there or is not a push-bench server (exit 2)', async () => {
    const dir = await tempFiles({ 's.yaml': SCENARIO });
    const refused = await runCli(['run', `${dir}/s.yaml`, '--target', 'http://127.0.0.1:1', '--out', `${dir}/out`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--target http://127.0.0.1:1: nothing answers there (ECONNREFUSED)');
    const other = createServer((_req, res) => res.writeHead(404).end('no'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const notOurs = await runCli(['run', `${dir}/s.yaml`, '--target', url, '--out', `${dir}/out`]);
      expect(notOurs.code).toBe(2);
      expect(notOurs.stderr).toContain('GET /health answered 404 "no", not 200 {"ok": true}');
      const pidAlone = await runCli(['run', `${dir}/s.yaml`, '--target-pid', String(process.pid)]);
      expect(pidAlone.code).toBe(2);
      expect(pidAlone.stderr).toContain('give --target URL as well');
      const failing = createServer((_req, res) => res.writeHead(500).end('boom'));
      await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
      const failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
      const broken = await runCli(['run', `${dir}/s.yaml`, '--target', failingUrl, '--out', `${dir}/out`]);
      await new Promise((resolve) => failing.close(resolve));
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain('GET /health answered 500 "boom", not 200 {"ok": true}');
      const withPath = await runCli(['run', `${dir}/s.yaml`, '--target', `${url}/api`]);
      expect(withPath.code).toBe(2);
      expect(withPath.stderr).toContain("give the server's base URL, without a path");
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  }, 60_000);
});
