/**
 * The shaping proxies in their own processes, one per client process: client process k talks to
 * proxy k, every proxy to the reference server; the publisher keeps talking to the server
 * directly (the link shaped is the clients'). One proxy per client process because a proxy
 * forwards every byte of its clients twice and times each chunk, about the work of the clients
 * themselves: when a client process needs a core, so does its proxy. Started once per run, like
 * the server (its connections end with each phase anyway); stopped by PID, no orphans.
 */
import type { ChildProcess } from 'node:child_process';
import type { Intermediary } from '../conditions/intermediary.js';
import type { LinkShape } from '../conditions/shaping-proxy.js';
import type { ProxyUsage } from '../report/model.js';
import { forkChild, stopChild } from './child-process.js';
import { howItEnded, ProcessDied } from './faults.js';
import type { FromProxyProcess, ProxyChildOptions, ProxyWindow, ToProxyProcess } from './proxy-child.js';

const PROXY_ENTRY = new URL('./proxy-child.js', import.meta.url);

/** A shaping proxy died: the phase stops as for a dead server, under its own warning code. */
export class ProxyDied extends ProcessDied {}
const START_TIMEOUT_MS = 15_000;
const MARK_TIMEOUT_MS = 10_000;

/** No shaping: what the proxy applies when only an intermediary is asked for. */
const UNSHAPED = { latencyMs: 0, jitterMs: 0, bytesPerSecond: null, burstBytes: 1 } as const;

export interface ProxyFleet {
  /** Base URL of each proxy; client process k uses urls[k % urls.length]. */
  urls: string[];
  /** Aborted, with a ProcessDied reason, the moment a proxy exits without being asked to. */
  died: AbortSignal;
  /** Marks a window edge in every proxy; at the end, their figures of the window, summed (undefined when none answered). */
  mark(edge: 'start' | 'end'): Promise<ProxyUsage | undefined>;
  stop(): Promise<void>;
}

export interface ProxyPlan {
  /** The reference server's base URL. */
  targetUrl: string;
  network: LinkShape | null;
  intermediary: Intermediary | null;
  seed: number;
  count: number;
}

/** Whether the scenario puts anything between clients and server. */
export function needsProxy(scenario: { network: LinkShape | null; intermediary: Intermediary | null }): boolean {
  return scenario.network !== null || scenario.intermediary !== null;
}

export async function startProxies(plan: ProxyPlan): Promise<ProxyFleet> {
  const target = new URL(plan.targetUrl);
  const children: ChildProcess[] = [];
  const died = new AbortController();
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((child) => stopChild(child)));
  };
  try {
    const ports = await Promise.all(
      Array.from({ length: plan.count }, (_, index) => {
        const options: ProxyChildOptions = {
          targetHost: target.hostname,
          targetPort: Number(target.port),
          shape: plan.network ?? { up: UNSHAPED, down: UNSHAPED },
          idleTimeoutMs: plan.intermediary?.kind === 'idle-timeout' ? plan.intermediary.idleTimeoutMs : null,
          seed: plan.seed * 7_919 + index,
        };
        const child = forkChild(PROXY_ENTRY, [JSON.stringify(options)]);
        children.push(child);
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString()).slice(-2_000);
        });
        child.once('exit', (code, signal) => {
          if (stopping || died.signal.aborted) return;
          const last = stderr.trim().split('\n').slice(-2).join(' | ');
          died.abort(new ProxyDied(`shaping proxy ${index} (pid ${child.pid})`, `${howItEnded(code, signal)}${last ? ` (${last})` : ''}`));
        });
        return waitForReady(child, index, () => stderr);
      }),
    );
    return { urls: ports.map((port) => `http://127.0.0.1:${port}`), died: died.signal, mark: (edge) => markAll(children, edge), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function markAll(children: readonly ChildProcess[], edge: 'start' | 'end'): Promise<ProxyUsage | undefined> {
  const windows = await Promise.all(children.map((child) => ask(child, edge)));
  const answered = windows.filter((window): window is ProxyWindow => window !== undefined);
  if (edge === 'start' || answered.length === 0) return undefined;
  const sum = (key: keyof ProxyWindow) => answered.reduce((total, window) => total + window[key], 0);
  return {
    processes: answered.length,
    cpuMs: sum('cpuMs'),
    rssPeakBytes: sum('rssPeakBytes'),
    elu: Math.min(1, Math.max(...answered.map((window) => window.elu))),
    connections: sum('connections'),
    bytesUp: sum('bytesUp'),
    bytesDown: sum('bytesDown'),
    pauses: sum('pauses'),
    idleCuts: sum('idleCuts'),
  };
}

/** Sends a mark; resolves with the proxy's window at the end mark, undefined otherwise or when it does not answer. */
function ask(child: ChildProcess, edge: 'start' | 'end'): Promise<ProxyWindow | undefined> {
  if (!child.connected) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (value: ProxyWindow | undefined) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), MARK_TIMEOUT_MS);
    const onMessage = (message: FromProxyProcess) => {
      if (message.type === 'marked' && message.edge === edge) done(message.usage);
    };
    const onExit = () => done(undefined);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ type: 'mark', edge } satisfies ToProxyProcess, (error) => {
      if (error) done(undefined);
    });
  });
}

function waitForReady(child: ChildProcess, index: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`shaping proxy ${index} did not start: ${why}${stderr() ? `\n${stderr()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1_000}s`), START_TIMEOUT_MS);
    child.on('message', (message: FromProxyProcess) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'error') {
        fail(message.message);
      }
    });
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
  });
}
