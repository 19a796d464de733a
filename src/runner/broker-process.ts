/**
 * A message broker of push-bench's own for a run (RabbitMQ, Mosquitto): started in the foreground
 * in a private temporary directory on loopback ports, awaited until a real client of its protocol
 * gets in, watched, and stopped by PID (its whole process group), its directory removed. The
 * programs differ in how they are configured (rabbitmq-process.ts, mosquitto-process.ts); this is
 * what they share.
 */
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { processTreeUsage, ProcessWatch, type ProcessTreeUsage } from '../tool/process-usage.js';
import { spawnProgram, stopChild } from './child-process.js';
import { howItEnded, ProcessDied } from './faults.js';
import { mayAccess } from './nginx-process.js';

const READY_POLL_MS = 200;

/** A broker's program is not on this machine. The command line treats it as bad input: exit 2, with the install command. */
class BrokerMissing extends Error {
  override readonly name = 'BrokerMissing';
}

/**
 * The program to run: the one `env` names (a build of one's own, and tests), else the first of
 * `paths` that this process may run; else BrokerMissing with what to install.
 */
export function findProgram(paths: readonly string[], what: string, install: string, env: string): string {
  const named = process.env[env];
  if (named !== undefined && named !== '') {
    if (mayAccess(named, constants.X_OK)) return named;
    throw new BrokerMissing(`${what} is not installed (${env}=${named} is not an executable file); install it, e.g. ${install} (Debian, Ubuntu)`);
  }
  const found = paths.find((path) => mayAccess(path, constants.X_OK));
  if (found !== undefined) return found;
  throw new BrokerMissing(
    `${what} is not installed (no ${paths.join(' nor ')}); install it, e.g. ${install} (Debian, Ubuntu), or name it with ${env}=/path/to/it`,
  );
}

/** What `find` says is missing (a BrokerMissing's message), or null when it finds every program. */
export function whyMissing(find: () => unknown): string | null {
  try {
    find();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A broker running for the run. */
export interface BrokerProcess {
  /** What clients and the publisher connect to, e.g. amqp://127.0.0.1:5673 or mqtt://127.0.0.1:1884. */
  url: string;
  /** The process push-bench started and stops (its descendants are counted with it). */
  pid: number;
  /** Aborted, with a ProcessDied reason, the moment the broker exits without being asked to. */
  died: AbortSignal;
  /** Its CPU and memory, read from /proc, over measured windows. */
  watch: ProcessWatch;
  /** CPU and memory so far; null when /proc cannot tell. */
  usage(): ProcessTreeUsage | null;
  stop(): Promise<void>;
}

/** Private directories still on disk: removed on the way out even when stop() never ran. */
const directories = new Set<string>();
process.once('exit', () => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

/** A fresh private directory for one broker, removed at exit if nothing removed it before. */
export function privateDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `push-bench-${prefix}-`));
  directories.add(dir);
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      directories.delete(dir);
    },
  };
}

export interface BrokerLaunch {
  /** e.g. "RabbitMQ", for messages. */
  what: string;
  program: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Its private directory (removed at stop, or when it fails to start). */
  directory: { dir: string; remove: () => void };
  url: string;
  /** Resolves once a client of the broker's protocol got in; rejects (or throws) while it cannot yet. */
  probe: () => Promise<void>;
  readyTimeoutMs: number;
  /** What to quote when it fails (its log's tail); its stderr by default. */
  lastWords?: () => string;
  /** Helpers started before it (RabbitMQ's epmd), stopped after it. */
  companions?: ChildProcess[];
  /** How long a graceful stop may take before SIGKILL, ms. */
  stopGraceMs?: number;
}

/** Starts a broker as `launch` says and resolves once its probe passes; on failure, nothing is left running or on disk. */
export async function launchBroker(launch: BrokerLaunch): Promise<BrokerProcess> {
  const child = spawnProgram(launch.program, launch.args, { directory: launch.directory.dir, ...(launch.env ? { env: launch.env } : {}) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const lastWords = () => (launch.lastWords?.() ?? stderr).trim().split('\n').slice(-3).join(' | ');
  const stopAll = async () => {
    if (child.pid !== undefined) await stopChild(child, launch.stopGraceMs ?? 3_000);
    await Promise.all((launch.companions ?? []).map((companion) => stopChild(companion)));
    launch.directory.remove();
  };
  try {
    await waitForReady(child, launch, lastWords);
  } catch (error) {
    await stopAll();
    throw error;
  }
  const died = new AbortController();
  let stopping = false;
  const pid = child.pid ?? -1;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const last = lastWords();
    died.abort(new ProcessDied(`${launch.what} (pid ${pid})`, `${howItEnded(code, signal)}${last ? ` (${last})` : ''}`));
  });
  return {
    url: launch.url,
    pid,
    died: died.signal,
    watch: new ProcessWatch(pid),
    usage: () => processTreeUsage(pid),
    stop: async () => {
      stopping = true;
      await stopAll();
    },
  };
}

async function waitForReady(child: ChildProcess, launch: BrokerLaunch, lastWords: () => string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = howItEnded(code, signal)));
  child.once('error', (error) => (exited = `could not be run: ${error.message}`));
  const deadline = Date.now() + launch.readyTimeoutMs;
  let lastError = '';
  for (;;) {
    if (exited !== undefined) throw new Error(`${launch.what} did not start: it ${exited}${lastWords() ? `: ${lastWords()}` : ''}`);
    try {
      await launch.probe();
      // A probe may pass against a stranger who took the port meanwhile: the broker must still run.
      if (exited === undefined) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${launch.what} did not accept a client at ${launch.url} within ${launch.readyTimeoutMs / 1_000} s (${lastError})${lastWords() ? `: ${lastWords()}` : ''}`,
      );
    await sleep(READY_POLL_MS);
  }
}
