/** Starting and stopping our child processes by PID, so that none outlives the run. */
import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';

/** Children still running, so that an exit of the orchestrator can stop them all. */
const running = new Set<ChildProcess>();
/**
 * Children that lead their own process group (a program with workers of its own, like nginx):
 * signalled as a group, so that killing the leader never leaves its workers behind.
 */
const groupLeaders = new WeakSet<ChildProcess>();

/** This module's folder root: src/ when it runs from its TypeScript source, dist/ when compiled. */
const MODULE_ROOT = new URL('../', import.meta.url);
const COMPILED_ROOT = new URL('../../dist/', import.meta.url);

/**
 * The file to fork for `entry`, an entry written next to its caller as `new URL('./x.js', import.meta.url)`.
 * Compiled, that file exists. Run from the sources (vitest transforms them), there is only
 * x.ts, which Node 20 cannot run; the child then runs dist/'s x.js, which the tests' global
 * setup (test/global-setup.ts) has just compiled from those sources.
 */
export function compiledEntry(entry: URL): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  if (!fromSources || !entry.href.startsWith(MODULE_ROOT.href)) return entry;
  return new URL(entry.href.slice(MODULE_ROOT.href.length), COMPILED_ROOT);
}

/**
 * `PUSH_BENCH_CPU_PROFILE=DIR`: every Node child (server, client processes, proxies) writes a V8
 * CPU profile into DIR when it exits, to open in Chrome DevTools or speedscope. Node refuses
 * --cpu-prof in NODE_OPTIONS, so the children are given it here.
 */
function profileArgs(env: NodeJS.ProcessEnv): string[] {
  const dir = env.PUSH_BENCH_CPU_PROFILE;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

export interface ForkOptions {
  /** Where the child's stdout and stderr go; by default stdout is dropped and stderr piped, for error messages. */
  output?: 'pipe-stderr' | 'inherit';
}

export function forkChild(modulePath: URL, args: string[] = [], options: ForkOptions = {}): ChildProcess {
  const stdio: StdioOptions = options.output === 'inherit' ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'ignore', 'pipe', 'ipc'];
  const execArgv = [...process.execArgv, ...profileArgs(process.env)];
  const child = fork(compiledEntry(modulePath), args, { stdio, serialization: 'advanced', execArgv });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * A program that is not Node (no IPC), in its own process group with its stdout dropped and its
 * stderr piped for error messages. Stopped like every child (stopChild, and killed with the
 * others if the orchestrator exits), the whole group at once: its own workers included.
 * `directory`: the program's private files, removed too if the orchestrator is killed; `env`: its
 * environment instead of this process's.
 */
export function spawnProgram(file: string, args: string[], options: { directory?: string; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  // detached: a group of its own, so Ctrl-C in the terminal reaches the runner, which stops it in order.
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true, ...(options.env ? { env: options.env } : {}) });
  if (child.pid === undefined) return child; // it failed to start: 'error' follows, and there is nothing to kill
  groupLeaders.add(child);
  running.add(child);
  const guard = guardGroup(child.pid, options.directory);
  child.once('exit', () => {
    running.delete(child);
    guard.kill('SIGKILL');
  });
  return child;
}

/**
 * A forked Node child exits when its IPC channel closes; a program has no such channel, and no
 * exit handler runs when the orchestrator is killed with SIGKILL. So a guard waits on a pipe
 * from this process, which only the kernel closes (at this process's death, however it dies),
 * and then kills the program's whole group. Once the program has exited, the guard is killed
 * first, so it never signals a group whose number may have been reused. A shell, because a
 * Node guard would cost a runtime's memory for a `read`.
 */
function guardGroup(groupId: number, directory: string | undefined): ChildProcess {
  // The directory is an argument ($0), never part of the script: no quoting to get wrong.
  const script = `read -r _; kill -KILL -${groupId}; ${directory === undefined ? '' : 'rm -rf -- "$0"'}`;
  const guard = spawn('/bin/sh', ['-c', script, directory ?? 'sh'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // Neither the guard nor its pipe keeps this process alive.
  guard.unref();
  (guard.stdin as Socket | null)?.unref();
  return guard;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!groupLeaders.has(child) || child.pid === undefined) {
    child.kill(name);
    return;
  }
  try {
    process.kill(-child.pid, name);
  } catch {
    // The group is gone already.
  }
}

/** SIGTERM, then SIGKILL if it has not gone after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    // A leader that died without being asked (killed from outside) may have left its workers running.
    if (groupLeaders.has(child)) signal(child, 'SIGKILL');
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every child still running, gracefully (see stopChild). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Last resort on the way out (also on an uncaught error): kill every child still running. */
export function killAllChildren(): void {
  for (const child of running) signal(child, 'SIGKILL');
}

process.once('exit', killAllChildren);
