/**
 * The reference server at its limits: past maxConnections it sheds new connections with a clear
 * 503 and keeps serving the ones it has; with no bound of its own, running out of file
 * descriptors (EMFILE) must not kill it either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMaxConnections, openFilesLimit, RESERVED_DESCRIPTORS } from '../../src/server/fd-limit.js';
import { compiledEntry } from '../../src/runner/child-process.js';
import { RESERVED_FILES } from '../../src/runner/limits.js';
import type { StatsSnapshot } from '../../src/server/index.js';
import { startServer, waitFor } from './helpers.js';

/** The server entry as the runner forks it (compiled by the tests' global setup). */
const CHILD_JS = fileURLToPath(compiledEntry(new URL('../../src/server/child.js', import.meta.url)));

const sockets: Socket[] = [];
let child: ChildProcess | undefined;
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  child?.kill('SIGKILL');
  child = undefined;
});

/** Opens a raw connection, sends one request, and collects what comes back until the server closes it. */
function rawRequest(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

/** Opens `n` idle connections and resolves once all are connected (or refused). */
async function idleConnections(port: number, n: number): Promise<Socket[]> {
  const opened = Array.from({ length: n }, () => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    return new Promise<Socket>((resolve) => {
      socket.once('connect', () => resolve(socket));
      socket.once('close', () => resolve(socket));
    });
  });
  return Promise.all(opened);
}

describe('the open-files limit', () => {
  it('is read from /proc/self/limits, less what is open and a reserve', () => {
    const limits =
      'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 4096                 files     \n';
    expect(openFilesLimit(limits)).toBe(1024);
    expect(openFilesLimit('Max open files            unlimited            unlimited            files\n')).toBeNull();
    expect(openFilesLimit('')).toBeNull();
    expect(defaultMaxConnections(1024, 20)).toBe(1024 - 20 - RESERVED_DESCRIPTORS);
    expect(defaultMaxConnections(null, 20)).toBeNull();
  });

  it("accepts every client the run's preflight allows, and the runner's control connections", () => {
    // 30 descriptors open at start is what a server process holds here before its first client.
    const controlConnections = 5;
    expect(defaultMaxConnections(20_000, 30)).toBeGreaterThanOrEqual(20_000 - RESERVED_FILES + controlConnections);
  });
});

describe('past maxConnections', () => {
  it('answers new connections 503 too_many_connections and keeps serving the ones it has', async () => {
    const server = await startServer({ maxConnections: 10 });
    const held = await idleConnections(server.port, 10);
    await waitFor(async () => ((await fetch(`${server.url}/stats`).catch(() => undefined))?.status === 503 ? true : undefined), 'the server to be full');
    const shed = await rawRequest(server.port, '/health');
    expect(shed).toMatch(/^HTTP\/1\.1 503 /);
    expect(shed).toContain('"error":"too_many_connections"');
    // A connection it holds is still served.
    const first = held[0]!;
    const answer = new Promise<string>((resolve) => {
      let text = '';
      first.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('"resourceErrors"')) resolve(text);
      });
    });
    first.write('GET /stats HTTP/1.1\r\nHost: x\r\n\r\n');
    const statsText = await answer;
    const stats = JSON.parse(statsText.slice(statsText.indexOf('{'))) as StatsSnapshot;
    expect(stats.resourceErrors.shedConnections).toBeGreaterThanOrEqual(2);
  });
});

describe('out of file descriptors', () => {
  it('a server under ulimit -n 128 with no bound of its own survives 300 connections and serves again', async () => {
    const options = JSON.stringify({ maxConnections: null });
    child = spawn('sh', ['-c', `ulimit -n 128 && exec "${process.execPath}" "${CHILD_JS}" '${options}'`], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child?.on('message', (message: { type: string; url?: string }) =>
        message.type === 'ready' && message.url ? resolve(message.url) : reject(new Error(JSON.stringify(message))),
      );
      child?.once('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    });
    const port = Number(new URL(url).port);
    await idleConnections(port, 300);
    // Its 100 ms RSS sampler needs a descriptor too: give it a few chances to fail.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(child.exitCode, stderr).toBeNull();
    for (const socket of sockets.splice(0)) socket.destroy();
    const stats = await waitFor(async () => {
      const response = await fetch(`${url}/stats`).catch(() => undefined);
      return response?.status === 200 ? ((await response.json()) as StatsSnapshot) : undefined;
    }, 'the server to answer again');
    expect(stats.resourceErrors.rssReadFailures).toBeGreaterThan(0);
    expect(child.exitCode, stderr).toBeNull();
  });
});
