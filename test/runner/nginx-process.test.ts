/**
 * A real nginx (the machine's) in front of the real reference server, with the catalog's real
 * clients: what users meet behind nginx's defaults. Skipped only where nginx is absent and this
 * is not CI; in CI a missing nginx fails here (.ci/run installs it).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLimits } from '../../src/runner/limits.js';
import { findNginx, NginxMissing, startNginx, type NginxProcess } from '../../src/runner/nginx-process.js';
import { preflight } from '../../src/runner/preflight.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { transportModule, type TransportName } from '../../src/transports/catalog.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import type { TransportClient } from '../../src/transports/types.js';
import { startHttpServer } from '../transports/helpers.js';
import { Cleanup, RecordingSink, seededRandom, sleep, waitFor } from '../transports/helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

function nginxInstalled(): boolean {
  try {
    findNginx();
    return true;
  } catch {
    return false;
  }
}
const skip = !nginxInstalled() && !process.env.CI;
if (skip) console.warn('SKIPPED test/runner/nginx-process.test.ts: nginx is missing (apt-get install -y nginx-light); CI fails without it.');

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  // The publisher talks to the server directly, as in a run: only the clients go through nginx.
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

const publish = (server: RunningServer) => post(server, '/publish', { to: 'all', intended: String(process.hrtime.bigint()), payloadBytes: 100 });

async function startClients(
  baseUrl: string,
  server: RunningServer,
  transport: TransportName,
  entry: Record<string, unknown>,
  count: number,
  sink: RecordingSink,
) {
  const ids = Array.from({ length: count }, (_, i) => `${transport}-${sink.connects.length + i}`);
  await post(server, '/clients', { ids });
  const module = transportModule(transport);
  const settings: unknown = module.settings.parse(entry);
  const meter = new SocketMeter();
  const random = seededRandom(3);
  const clients: TransportClient[] = ids.map((clientId, clientIndex) => module.createClient({ baseUrl, clientId, clientIndex, settings, sink, meter, random }));
  cleanup.track((list) => Promise.all(list.map((client) => client.stop())), clients);
  await Promise.all(clients.map((client) => client.start()));
  return clients;
}

/** Running, not merely a zombie: an orphan's exit is reaped by whatever PID 1 the machine has, which may take its time. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function setUp(options: { readTimeoutMs?: number } = {}): Promise<{ server: RunningServer; nginx: NginxProcess }> {
  const server = cleanup.track((s) => s.close(), await startReferenceServer({ transports: { sse: { retryMs: 100 } } }));
  const nginx = cleanup.track((n) => n.stop(), await startNginx({ upstreamPort: server.port, clients: 50, ...options }));
  return { server, nginx };
}

describe.skipIf(skip)('a real nginx in front of the reference server', () => {
  const cases: Array<[TransportName, Record<string, unknown>]> = [
    ['polling', { interval: '50ms' }],
    ['long-polling', { timeout: '5s' }],
    ['sse', {}],
    ['websocket', {}],
  ];
  it.each(cases)('%s: every client gets every event once, in order, through nginx', async (transport, entry) => {
    const { server, nginx } = await setUp();
    const sink = new RecordingSink();
    await startClients(nginx.url, server, transport, entry, 5, sink);
    for (let i = 0; i < 20; i++) await publish(server);
    await waitFor(() => sink.totalEvents() >= 5 * 20, '100 deliveries', 10_000);
    const expected = Array.from({ length: 20 }, (_, i) => i + 1);
    for (let client = 0; client < 5; client++) expect(sink.seqs(client)).toEqual(expected);
    expect(sink.failures).toEqual([]);
    expect(nginx.readTimeouts()).toBe(0);
  });

  it('delivers SSE events promptly: the server turns nginx buffering off per response', async () => {
    const { server, nginx } = await setUp();
    const sink = new RecordingSink();
    await startClients(nginx.url, server, 'sse', {}, 1, sink);
    for (let i = 0; i < 5; i++) {
      await publish(server);
      await sleep(20);
    }
    await waitFor(() => sink.totalEvents() === 5, '5 events', 5_000);
    const latenciesMs = (sink.events.get(0) ?? []).map((e) => Number(e.receivedNs - e.intendedNs) / 1e6);
    // Buffered, they would wait for nginx's buffer to fill or the stream to end: seconds, not milliseconds.
    expect(Math.max(...latenciesMs)).toBeLessThan(250);
  });

  it('passes a stream through promptly even with buffering on, when the client keeps up (nginx buffers only what the client cannot take yet)', async () => {
    const upstream = cleanup.track(
      (s) => s.close(),
      await startHttpServer((_req, res) => {
        // No X-Accel-Buffering: nginx's proxy_buffering on applies.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
      }),
    );
    const nginx = cleanup.track((n) => n.stop(), await startNginx({ upstreamPort: upstream.port, clients: 10 }));
    const request = new AbortController();
    cleanup.add(() => request.abort(), null);
    const response = await fetch(nginx.url, { signal: request.signal });
    const reader = response.body!.getReader();
    // The response never ends: had nginx held it until its buffer filled or the response ended, nothing would come.
    const first = await Promise.race([reader.read().then((r) => Buffer.from(r.value ?? []).toString()), sleep(2_000).then(() => 'nothing within 2 s')]);
    expect(first).toBe('data: first\n\n');
  });

  it.each(['sse', 'websocket'] as const)(
    '%s: nginx cuts a connection silent for proxy_read_timeout, which resumes without loss; a 500 ms heartbeat keeps it',
    async (transport) => {
      const { server, nginx } = await setUp({ readTimeoutMs: 2_000 });
      expect(nginx.mark('start')).toBeUndefined();
      const quiet = new RecordingSink();
      const beating = new RecordingSink();
      await startClients(nginx.url, server, transport, {}, 1, quiet);
      await startClients(nginx.url, server, transport, { heartbeat: '500ms' }, 1, beating);
      await publish(server);
      await waitFor(() => quiet.totalEvents() === 1 && beating.totalEvents() === 1, 'first event', 5_000);
      // Quiet for longer than the timeout: nginx cuts the connection without heartbeats.
      await waitFor(() => quiet.failures.length > 0, 'the cut', 6_000);
      expect(quiet.failures[0]?.kind).toBe('disconnect');
      await publish(server);
      await publish(server);
      await waitFor(() => quiet.totalEvents() === 3 && beating.totalEvents() === 3, 'events after the cut', 5_000);
      expect(quiet.seqs()).toEqual([1, 2, 3]);
      expect(quiet.gaps).toEqual([]);
      // One request per (re)connection: the cut cost a reconnect.
      expect(quiet.requests.length).toBeGreaterThanOrEqual(2);
      expect(beating.seqs()).toEqual([1, 2, 3]);
      expect(beating.failures).toEqual([]);
      expect(beating.requests).toHaveLength(1);
      // nginx logs a cut HTTP response at error level; a cut WebSocket only at info, below the log's level.
      if (transport === 'sse') expect(nginx.readTimeouts()).toBeGreaterThanOrEqual(1);
      else expect(nginx.readTimeouts()).toBe(0);
      // The window's figures count from its start mark, before any cut.
      expect(nginx.mark('end')).toMatchObject({ readTimeouts: nginx.readTimeouts(), cpuMs: expect.any(Number) as unknown });
    },
  );

  it('long polling: a hold longer than proxy_read_timeout is answered 504 by nginx; a shorter one is not', async () => {
    const { server, nginx } = await setUp({ readTimeoutMs: 2_000 });
    const long = new RecordingSink();
    const short = new RecordingSink();
    await startClients(nginx.url, server, 'long-polling', { timeout: '5s' }, 1, long);
    await startClients(nginx.url, server, 'long-polling', { timeout: '1s' }, 1, short);
    await waitFor(() => long.failures.length > 0, 'the 504', 6_000);
    expect(long.failures[0]).toMatchObject({ kind: 'request', detail: expect.stringMatching(/504/) as unknown });
    await publish(server);
    await waitFor(() => long.totalEvents() === 1 && short.totalEvents() === 1, 'the event after the 504', 5_000);
    expect(short.failures).toEqual([]);
    expect(nginx.readTimeouts()).toBeGreaterThanOrEqual(1);
  });

  it('listens on another port when the one picked is taken by the time nginx binds it (nginx gives up after ~2.5 s of retries)', async () => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer());
    const stranger = cleanup.track((s) => s.close(), await startHttpServer((_req, res) => res.end('stranger')));
    const picked: number[] = [];
    const pickPort = async () => {
      const probe = picked.length === 0 ? stranger : await startHttpServer(() => undefined);
      if (probe !== stranger) await probe.close();
      picked.push(probe.port);
      return probe.port;
    };
    const nginx = cleanup.track((n) => n.stop(), await startNginx({ upstreamPort: server.port, clients: 10, pickPort }));
    expect(picked).toHaveLength(2);
    expect(nginx.url).toBe(`http://127.0.0.1:${picked[1]}`);
    const response = await fetch(`${nginx.url}/nothing-here`);
    // The reference server answered through nginx, not the stranger.
    expect(await response.text()).not.toBe('stranger');
    expect(response.headers.get('server')).toMatch(/^nginx/);
  });

  it('reports its CPU and memory, and stop() leaves no nginx process and no directory', async () => {
    const { nginx } = await setUp();
    const usage = nginx.usage();
    expect(usage?.cpuMs).toBeGreaterThanOrEqual(0);
    expect(usage?.rssBytes).toBeGreaterThan(1024 * 1024);
    nginx.mark('start');
    for (let i = 0; i < 50; i++) await (await fetch(`${nginx.url}/nothing-here`)).arrayBuffer();
    const window = nginx.mark('end');
    expect(window?.cpuMs).toBeGreaterThanOrEqual(0);
    expect(window?.cpuMs).toBeLessThanOrEqual(nginx.usage()!.cpuMs);
    expect(window?.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(window?.readTimeouts).toBe(0);
    const workers = readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(1);
    // nginx rewrites its command line into its process title: "nginx: master process /usr/sbin/nginx -p DIR/ ...".
    const dir = / -p (\S+)/.exec(readFileSync(`/proc/${nginx.pid}/cmdline`, 'utf8'))![1]!;
    expect(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim()).toBe(String(nginx.pid));
    await nginx.stop();
    expect(nginx.died.aborted).toBe(false);
    for (const pid of [nginx.pid, ...workers]) expect(alive(pid)).toBe(false);
    expect(nginx.usage()).toBeNull();
    expect(() => readFileSync(join(dir, 'nginx.conf'))).toThrow(/ENOENT/);
  });

  it('leaves no nginx and no directory behind when the process that started it is killed with SIGKILL', async () => {
    // A process of its own runs dist/'s compiled module (the global setup has just built it) and is killed outright: no exit handler runs.
    const module = new URL('../../dist/runner/nginx-process.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(module)}); const n = await m.startNginx({ upstreamPort: 1, clients: 10 }); console.log(n.pid); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.add(() => owner.kill('SIGKILL'), null);
    let out = '';
    owner.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => /^\d+\n/.test(out), 'nginx started by the other process', 10_000);
    const pid = Number(out.trim());
    const workers = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    const dir = / -p (\S+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))![1]!;
    owner.kill('SIGKILL');
    // Killed, nginx's processes are zombies until init reaps them: gone from /proc, or in state Z.
    const gone = (p: number) => !alive(p) || /\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
    await waitFor(() => [pid, ...workers].every(gone), 'nginx gone', 5_000);
    await waitFor(() => !existsSync(dir), 'its directory removed', 5_000);
  });

  it('signals died when nginx is killed from outside, and stop() still ends its orphaned worker', async () => {
    const { nginx } = await setUp();
    const workers = readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    process.kill(nginx.pid, 'SIGKILL');
    await waitFor(() => nginx.died.aborted, 'died', 5_000);
    expect(String(nginx.died.reason)).toMatch(/nginx \(pid \d+\) was killed by SIGKILL/);
    // nginx's worker may outlive a master killed this way (that is why the runner signals the whole
    // group); whether it is still there at this moment depends on timing, so only the end is asserted.
    await nginx.stop();
    await waitFor(() => !workers.some(alive), 'the worker gone', 5_000);
  });
});

describe('nginx that cannot run', () => {
  it('names the install command when the program is missing (option and environment variable)', async () => {
    await expect(startNginx({ upstreamPort: 1, program: '/nonexistent/nginx' })).rejects.toThrow(NginxMissing);
    await expect(startNginx({ upstreamPort: 1, program: '/nonexistent/nginx' })).rejects.toThrow(/\/nonexistent\/nginx.*apt-get install -y nginx-light/);
    const saved = process.env.PUSH_BENCH_NGINX;
    process.env.PUSH_BENCH_NGINX = '/nonexistent/nginx';
    try {
      expect(() => findNginx()).toThrow(/apt-get install -y nginx-light/);
      // The check before a run: a problem, so the command line exits 2 before anything starts.
      const facts = readLimits();
      const plan = { clients: 10, clientProcesses: 1, rampUpMs: 0, transports: 1, localAddresses: [] };
      expect(preflight({ ...plan, nginx: true }, facts).problems).toEqual([
        { code: 'nginx', message: expect.stringMatching(/not installed.*nginx-light/) as unknown },
      ]);
      expect(preflight(plan, facts).problems).toEqual([]);
      const tooMany = preflight({ ...plan, nginx: true }, { ...facts, openFiles: { soft: 50, hard: 50 } }).problems.map((p) => p.message);
      expect(tooMany).toContainEqual(expect.stringMatching(/nginx needs 2 open files per proxied client/));
    } finally {
      if (saved === undefined) delete process.env.PUSH_BENCH_NGINX;
      else process.env.PUSH_BENCH_NGINX = saved;
    }
  });

  it("passes on nginx's own words when it refuses the configuration", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-nginx-'));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }), null);
    const program = join(dir, 'nginx');
    writeFileSync(program, '#!/bin/sh\necho \'nginx: [emerg] unknown directive "frobnicate"\' >&2\nexit 1\n');
    chmodSync(program, 0o755);
    await expect(startNginx({ upstreamPort: 1, program })).rejects.toThrow(/refused its configuration.*unknown directive "frobnicate"/);
  });
});
