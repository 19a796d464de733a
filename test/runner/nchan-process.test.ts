/**
 * A real nginx with the nchan module (the machine's), started, used and stopped as a run will:
 * publish to two channels at once, receive by interval polling and by SSE, and nothing left
 * afterwards. Skipped only where nginx or nchan is absent and this is not CI; in CI a missing
 * one fails here (.ci/run installs both).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { findNchanModule, NchanMissing, startNchan } from '../../src/runner/nchan-process.js';
import { nchanConfig } from '../../src/conditions/nchan-config.js';
import { findNginx, launchNginx, NginxMissing, type NginxLaunch } from '../../src/runner/nginx-process.js';
import { nchanInstalled } from '../helpers/nchan.js';
import { descendants, isAlive } from '../helpers/processes.js';
import { Cleanup, startHttpServer, waitFor } from '../transports/helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const skip = !nchanInstalled() && !process.env.CI;
if (skip)
  console.warn(
    'SKIPPED test/runner/nchan-process.test.ts: nginx or nchan is missing (apt-get install -y nginx-light libnginx-mod-nchan); CI fails without them.',
  );

/** nginx processes this test process started and that still run. */
const ourNginx = () => descendants(process.pid).filter((p) => p.cmdline.startsWith('nginx') && isAlive(p.pid));

/** Reads an SSE response until `text` has arrived, or fails after `timeoutMs`. */
async function readUntil(body: ReadableStream<Uint8Array>, text: string, timeoutMs = 5_000): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!seen.includes(text)) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`the stream ended before ${JSON.stringify(text)}; it said ${JSON.stringify(seen)}`);
      seen += decoder.decode(chunk.value, { stream: true });
    }
    return seen;
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

describe.skipIf(skip)('a real nginx with nchan', () => {
  it('publishes one message to channels a and b, received on /poll?id=b and by SSE on /sub?id=a; stop() leaves no process and no directory', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 20 }));
    expect(nchan.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const workers = readFileSync(`/proc/${nchan.pid}/task/${nchan.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(1);
    const dir = / -p (\S+)/.exec(readFileSync(`/proc/${nchan.pid}/cmdline`, 'utf8'))![1]!;
    expect(readFileSync(join(dir, 'nginx.conf'), 'utf8')).toContain('load_module ');

    const stream = new AbortController();
    cleanup.add(() => stream.abort(), null);
    const sse = await fetch(`${nchan.url}/sub?id=a`, { headers: { accept: 'text/event-stream' }, signal: stream.signal });
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // Subscribed once nchan has greeted the stream: a message published before that would be missed by design.
    await readUntil(sse.body!, ':');

    const published = await fetch(`${nchan.url}/pub?id=a,b`, { method: 'POST', body: 'hello a and b' });
    // 201: a subscriber was waiting on one of the channels.
    expect(published.status).toBe(201);
    expect(await published.text()).toMatch(/queued messages: 1/);

    expect(await readUntil(sse.body!, 'hello a and b')).toMatch(/id: \S+\ndata: hello a and b\n\n/);

    const poll = await fetch(`${nchan.url}/poll?id=b`);
    expect(poll.status).toBe(200);
    expect(await poll.text()).toBe('hello a and b');
    // Asked again with the cursor of that answer: nothing new.
    const cursor = { 'if-modified-since': poll.headers.get('last-modified')!, 'if-none-match': poll.headers.get('etag')! };
    const again = await fetch(`${nchan.url}/poll?id=b`, { headers: cursor });
    expect(again.status).toBe(304);

    const status = await (await fetch(`${nchan.url}/nchan_status`)).text();
    expect(status).toMatch(/^subscribers: 1$/m);
    stream.abort();

    const usage = nchan.usage();
    expect(usage?.rssBytes).toBeGreaterThan(1024 * 1024);
    await nchan.stop();
    expect(nchan.died.aborted).toBe(false);
    for (const pid of [nchan.pid, ...workers]) expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(ourNginx()).toEqual([]);
  });

  it('answers a long poll with nothing new after the long-poll timeout asked for (408)', async () => {
    const nchan = cleanup.track((n) => n.stop(), await startNchan({ clients: 10, longPollTimeoutMs: 1_000 }));
    const started = process.hrtime.bigint();
    const response = await fetch(`${nchan.url}/long-poll?id=quiet`);
    const waitedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(response.status).toBe(408);
    expect(waitedMs).toBeGreaterThanOrEqual(900);
    expect(waitedMs).toBeLessThan(5_000);
  });

  it('is stopped, and leaves no process, when the readiness probe refuses it', async () => {
    const probe = () => Promise.reject(new Error('not the server expected'));
    const modulePath = findNchanModule();
    const config = (place: Parameters<NginxLaunch['config']>[0]) => nchanConfig({ ...place, clients: 10, modulePath });
    await expect(launchNginx({ program: findNginx(), config, probe })).rejects.toThrow('not the server expected');
    await waitFor(() => ourNginx().length === 0, 'no nginx left', 5_000);
  });

  it('refuses a fixed port another process holds, without trying another', async () => {
    const stranger = cleanup.track((s) => s.close(), await startHttpServer((_req, res) => res.end('stranger')));
    await expect(startNchan({ clients: 10, port: stranger.port })).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${stranger.port}.*Address already in use`, 's'));
    await waitFor(() => ourNginx().length === 0, 'no nginx left', 5_000);
  });

  it('examples/nchan/nginx.conf is a configuration nginx with nchan accepts (nginx -t)', async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'nchan-example-'));
    cleanup.add(() => rmSync(prefix, { recursive: true, force: true }), null);
    const example = new URL('../../examples/nchan/nginx.conf', import.meta.url).pathname;
    const { stderr } = await promisify(execFile)(findNginx(), ['-t', '-p', `${prefix}/`, '-c', example, '-e', 'stderr']);
    expect(stderr).toMatch(/test is successful/);
  });
});

describe('nchan that cannot run', () => {
  it('names the module package when the module is missing, and both packages when nginx is', async () => {
    await expect(startNchan({ modulePath: '/nonexistent/ngx_nchan_module.so' })).rejects.toThrow(NchanMissing);
    await expect(startNchan({ modulePath: '/nonexistent/ngx_nchan_module.so' })).rejects.toThrow(
      /\/nonexistent\/ngx_nchan_module\.so is not a readable file.*apt-get install -y libnginx-mod-nchan.*PUSH_BENCH_NCHAN_MODULE=/,
    );
    // The command line maps every missing nginx to exit 2.
    await expect(startNchan({ program: '/nonexistent/nginx' })).rejects.toThrow(NginxMissing);
    await expect(startNchan({ program: '/nonexistent/nginx' })).rejects.toThrow(/apt-get install -y nginx-light libnginx-mod-nchan.*PUSH_BENCH_NGINX=/);
    const saved = process.env.PUSH_BENCH_NCHAN_MODULE;
    process.env.PUSH_BENCH_NCHAN_MODULE = '/nonexistent';
    try {
      expect(() => findNchanModule()).toThrow(/\/nonexistent is not a readable file/);
    } finally {
      if (saved === undefined) delete process.env.PUSH_BENCH_NCHAN_MODULE;
      else process.env.PUSH_BENCH_NCHAN_MODULE = saved;
    }
  });
});
