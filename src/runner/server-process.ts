/** The reference server in its own process (never sharing the clients' event loop): started, awaited, stopped by PID. */
import type { ChildProcess } from 'node:child_process';
import type { ServerOptionsInput } from '../server/index.js';
import type { BackplaneSpec } from '../server/backplane-link.js';
import { forkChild, stopChild } from './child-process.js';
import { howItEnded, ProcessDied } from './faults.js';

const SERVER_ENTRY = new URL('../server/child.js', import.meta.url);
const START_TIMEOUT_MS = 15_000;

export interface ServerProcess {
  url: string;
  /** The TLS listener's base URL, when the server was given `tls`. */
  secureUrl?: string;
  pid: number;
  /** Aborted, with a ProcessDied reason, the moment the server exits without being asked to. */
  died: AbortSignal;
  stop(): Promise<void>;
}

/** `backplane`: a process of a sharded server, which subscribes to it before it says ready (server/child.ts). */
export async function startServerProcess(options: ServerOptionsInput & { backplane?: BackplaneSpec }): Promise<ServerProcess> {
  // The private key goes by IPC, never in argv (server/child.ts).
  const { tls, ...rest } = options;
  const child = forkChild(SERVER_ENTRY, [JSON.stringify(tls ? { ...rest, tls: 'ipc' } : rest)]);
  if (tls) child.send({ type: 'tls', key: tls.key, cert: tls.cert });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const { url, secureUrl } = await waitForReady(child, () => stderr);
  const died = new AbortController();
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const last = stderr.trim().split('\n').slice(-2).join(' | ');
    died.abort(new ProcessDied(`the reference server (pid ${child.pid})`, `${howItEnded(code, signal)}${last ? ` (${last})` : ''}`));
  });
  return {
    url,
    ...(secureUrl ? { secureUrl } : {}),
    pid: child.pid ?? -1,
    died: died.signal,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<{ url: string; secureUrl?: string }> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`the reference server did not start: ${why}${stderr() ? `\n${stderr()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1_000}s`), START_TIMEOUT_MS);
    child.on('message', (message: { type: string; url?: string; secureUrl?: string; message?: string }) => {
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve({ url: message.url, ...(message.secureUrl ? { secureUrl: message.secureUrl } : {}) });
      } else if (message.type === 'error') {
        fail(message.message ?? 'unknown error');
      }
    });
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}
