import { fork, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../src/runner/child-process.js';
import { startCli } from '../helpers/cli.js';
import { getJson, SseClient, waitFor } from './helpers.js';

/** The server entry as the runner forks it: compiled from the current sources by the global setup. */
const SERVER_CHILD = compiledEntry(new URL('../../src/server/child.js', import.meta.url));
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function forkServer(options: unknown): { child: ChildProcess; message: Promise<{ type: string; url?: string; message?: string }> } {
  const child = fork(SERVER_CHILD, [typeof options === 'string' ? options : JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  children.add(child);
  const message = new Promise<{ type: string; url?: string; message?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { type: string; url?: string }));
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before a message`)));
  });
  return { child, message };
}

describe('src/server/child.ts (forked by the runner)', () => {
  it('announces ready with its URL, serves, and exits when the IPC channel closes', async () => {
    const { child, message } = forkServer({ retention: { maxEventsPerClient: 5 } });
    const ready = await message;
    expect(ready.type).toBe('ready');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await getJson(`${ready.url}/health`)).json).toEqual({ ok: true });
    child.disconnect();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits cleanly on %s', async (signal) => {
    const { child, message } = forkServer({});
    await message;
    child.kill(signal);
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('reports bad options instead of starting', async () => {
    const { child, message } = forkServer({ retention: { maxEventsPerClient: -1 } });
    const answer = await message;
    expect(answer.type).toBe('error');
    expect(answer.message).toContain('retention.maxEventsPerClient');
    expect((await exited(child)).code).toBe(1);
  });
});

describe('push-bench serve', () => {
  it('prints its endpoints, streams a published event to an SSE client, and stops on SIGINT', async () => {
    const serve = startCli(['serve', '--port', '0', '--host', '127.0.0.1']);
    children.add(serve.child);
    const url = await waitFor(() => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1], 'the URL');
    for (const path of ['/publish', '/poll?client=ID', '/long-poll?client=ID', '/sse?client=ID', '/ws?client=ID', '/health', '/stats']) {
      expect(serve.stdout()).toContain(path);
    }
    expect(serve.stderr()).not.toContain('warning');

    // The "Done when" of the issue: no registration needed, as with curl.
    const sse = await SseClient.open(`${url}/sse?client=a`);
    const res = await fetch(`${url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"all","payloadBytes":16}' });
    expect(res.status).toBe(200);
    await waitFor(() => sse.events.length === 1, 'the event on the stream');
    expect(sse.events[0]).toMatchObject({ seq: 1, id: 1, p: 'x'.repeat(16) });

    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
    await waitFor(() => sse.ended, 'the stream to end');
  });
});
