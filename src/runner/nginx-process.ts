/**
 * A real nginx: found on the machine, configured in a private temporary directory, started in
 * the foreground, awaited until it answers, stopped by PID (its whole process group: master and
 * worker), and its directory removed. Here in front of the reference server (startNginx); the
 * same launcher starts nginx with nchan as a push server of its own (nchan-process.ts).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { freeLoopbackPort } from '../net/loopback.js';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { nginxClientsProblem, nginxConfig, type NginxPlace } from '../conditions/nginx-config.js';
import { spawnProgram, stopChild } from './child-process.js';
import { howItEnded, ProcessDied } from './faults.js';
import { readLimits } from './limits.js';
import { processTreeUsage, type ProcessTreeUsage } from '../tool/process-usage.js';

/** How to get nginx where it is missing (Debian and Ubuntu; the light build has all a proxy needs). */
const NGINX_INSTALL = 'apt-get install -y nginx-light';
/** Names a program path instead of searching; for a build of one's own, and for tests. */
const PROGRAM_ENV = 'PUSH_BENCH_NGINX';
/** Where a distribution puts nginx besides PATH: a user's PATH often lacks sbin. */
const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
const READY_TIMEOUT_MS = 5_000;
const READY_POLL_MS = 50;

/** nginx is not on this machine (or not where it was said to be). The command line treats it as bad input: exit 2, with the install command. */
export class NginxMissing extends Error {
  override readonly name: string = 'NginxMissing';
  constructor(
    readonly where: string,
    message = `intermediary nginx: nginx is not installed (${where}); install it, e.g. ${NGINX_INSTALL} (Debian, Ubuntu), or name it with ${PROGRAM_ENV}=/path/to/nginx`,
  ) {
    super(message);
  }
}

export interface NginxOptions {
  /** The reference server's port on 127.0.0.1. */
  upstreamPort: number;
  /** proxy_read_timeout, ms; nginx's 60 s by default. */
  readTimeoutMs?: number;
  /** proxy_buffering; on by default, as in nginx. */
  buffering?: boolean;
  /** Clients connected at once, for nginx's connection limits; 1,000 by default. */
  clients?: number;
  /** The nginx program; else $PUSH_BENCH_NGINX, else PATH and the sbin folders. */
  program?: string;
  /** Picks the port nginx listens on (a port free on 127.0.0.1 by default); asked again once if the port is taken when nginx binds it. */
  pickPort?: () => Promise<number>;
}

export interface NginxProcess {
  /** What clients connect to instead of the server (the publisher keeps talking to the server). */
  url: string;
  /** The master's PID. */
  pid: number;
  /** Aborted, with a ProcessDied reason, the moment nginx exits without being asked to. */
  died: AbortSignal;
  stop(): Promise<void>;
  /** CPU and memory so far; null when /proc cannot tell (not Linux, or nginx has gone). */
  usage(): ProcessTreeUsage | null;
  /**
   * HTTP responses (SSE streams, long polls) nginx cut because the server was silent for
   * proxy_read_timeout ("upstream timed out" in its error log). Count. A WebSocket cut the same
   * way is not in it: nginx logs that at info level, and info would log every connection.
   */
  readTimeouts(): number;
  /** Marks a window edge; at the end, what nginx did in the window (undefined at the start, or when /proc cannot tell). */
  mark(edge: 'start' | 'end'): NginxWindow | undefined;
}

/** nginx in one measured window, for a phase's result. */
interface NginxWindow {
  /** CPU time of master and worker in the window. Milliseconds. */
  cpuMs: number;
  /** Resident memory of master and worker at the window's end. Bytes. */
  rssBytes: number;
  /** HTTP responses cut for silence (proxy_read_timeout) in the window. Count. */
  readTimeouts: number;
}

/** Private directories still on disk: removed on the way out even when stop() never ran. */
const directories = new Set<string>();
process.once('exit', () => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

/** The nginx program to run, or NginxMissing saying where it looked. */
export function findNginx(program: string | undefined = process.env[PROGRAM_ENV]): string {
  if (program !== undefined && program !== '') {
    if (isExecutable(program)) return program;
    throw new NginxMissing(`${program} is not an executable file`);
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''), ...SBIN_DIRS];
  const found = dirs.map((dir) => join(dir, 'nginx')).find(isExecutable);
  if (found) return found;
  throw new NginxMissing(`no nginx in PATH nor in ${SBIN_DIRS.join(', ')}`);
}

const isExecutable = (path: string): boolean => mayAccess(path, constants.X_OK);

/** Whether this process may access `path` as `mode` says (fs.constants: X_OK, R_OK). */
export function mayAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** Why a run behind nginx cannot start on this machine (missing program, too many clients), for the check before a run. */
export function nginxProblems(clients: number, maxOpenFiles: number, program?: string): string[] {
  const problems: string[] = [];
  try {
    findNginx(program);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const tooMany = nginxClientsProblem(clients, maxOpenFiles);
  if (tooMany) problems.push(`intermediary nginx: ${tooMany}`);
  return problems;
}

export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  let readTimeouts = 0;
  const nginx = await launchNginx({
    program: findNginx(options.program),
    config: (place) =>
      nginxConfig({
        ...place,
        upstreamPort: options.upstreamPort,
        clients: options.clients ?? 1_000,
        ...(options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs }),
        ...(options.buffering === undefined ? {} : { buffering: options.buffering }),
      }),
    onErrorLine: (line) => {
      if (line.includes('upstream timed out')) readTimeouts++;
    },
    ...(options.pickPort ? { pickPort: options.pickPort } : {}),
  });
  let windowStart: { cpuMs: number; readTimeouts: number } | null = null;
  return {
    ...nginx,
    readTimeouts: () => readTimeouts,
    mark: (edge) => {
      const usage = nginx.usage();
      if (edge === 'start') {
        windowStart = usage && { cpuMs: usage.cpuMs, readTimeouts };
        return undefined;
      }
      if (!usage || !windowStart) return undefined;
      return { cpuMs: usage.cpuMs - windowStart.cpuMs, rssBytes: usage.rssBytes, readTimeouts: readTimeouts - windowStart.readTimeouts };
    },
  };
}

/** What the launcher chooses for every nginx it starts (its port, directory, file limit and user); the caller adds its clients. */
type LaunchPlace = Omit<NginxPlace, 'clients'>;

/** One kind of nginx to start: its program, its configuration, what it says on stderr, and how to tell it is ready. */
export interface NginxLaunch {
  /** The nginx program (from findNginx). */
  program: string;
  /** The configuration text for the place the launcher chose. */
  config: (place: LaunchPlace) => string;
  /** Each complete line nginx writes to stderr (its error log). */
  onErrorLine?: (line: string) => void;
  /** Ready only once this resolves too, after the port answers: proves the server behind the port is the one configured. Rejects to refuse it. */
  probe?: (url: string) => Promise<void>;
  /** Picks the port (a free one on 127.0.0.1 by default); asked again once if the port is taken when nginx binds it. */
  pickPort?: () => Promise<number>;
  /** Listen on exactly this port: no second choice when it is taken. */
  port?: number;
}

/** A running nginx of any kind: what its starter builds on. */
export type RunningNginx = Pick<NginxProcess, 'url' | 'pid' | 'died' | 'stop' | 'usage'>;

/**
 * Starts nginx with a configuration of the caller's in a private temporary directory, in the
 * foreground, and resolves once it answers on its port (and passes the caller's probe).
 */
export async function launchNginx(launch: NginxLaunch): Promise<RunningNginx> {
  const program = launch.program;
  const dir = mkdtempSync(join(tmpdir(), 'push-bench-nginx-'));
  directories.add(dir);
  const removeDir = () => {
    rmSync(dir, { recursive: true, force: true });
    directories.delete(dir);
  };
  try {
    const configFile = join(dir, 'nginx.conf');
    const args = ['-p', `${dir}/`, '-c', configFile, '-e', 'stderr'];
    const root = process.getuid?.() === 0;
    const pickPort = launch.port === undefined ? (launch.pickPort ?? freeLoopbackPort) : () => Promise.resolve(launch.port!);
    // A port is chosen here and handed over: nginx would take port 0, but it has no way to say
    // which port the kernel gave it. Another process may take the port in between: once, a new one.
    for (let attempt = 1; ; attempt++) {
      const port = await pickPort();
      const place = { listenPort: port, dir, maxOpenFiles: readLimits().openFiles.hard, ...(root ? { user: userInfo().username } : {}) };
      writeFileSync(configFile, launch.config(place));
      await checkConfig(program, args);
      try {
        return await start(program, args, dir, port, removeDir, launch);
      } catch (error) {
        if (!(error instanceof PortTaken) || attempt === 2 || launch.port !== undefined) throw error;
      }
    }
  } catch (error) {
    removeDir();
    throw error;
  }
}

/** `nginx -t`: a configuration nginx refuses is reported with nginx's own words. */
function checkConfig(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, [...args, '-t', '-q'], { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`nginx refused its configuration (${program} -t): ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

class PortTaken extends Error {}

async function start(program: string, args: string[], dir: string, port: number, removeDir: () => void, launch: NginxLaunch): Promise<RunningNginx> {
  const child = spawnProgram(program, args, { directory: dir });
  let stderr = '';
  let partialLine = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = partialLine + chunk.toString();
    const lines = text.split('\n');
    partialLine = lines.pop() ?? '';
    if (launch.onErrorLine) for (const line of lines) launch.onErrorLine(line);
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(child, port, join(dir, 'nginx.pid'), () => stderr);
    await launch.probe?.(url);
  } catch (error) {
    // Without a pid it never started: nothing to stop, and no exit would come.
    if (child.pid !== undefined) await stopChild(child, 1_000);
    throw error;
  }
  const died = new AbortController();
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    const last = stderr.trim().split('\n').slice(-2).join(' | ');
    died.abort(new ProcessDied(`nginx (pid ${child.pid})`, `${howItEnded(code, signal)}${last ? ` (${last})` : ''}`));
  });
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    died: died.signal,
    stop: async () => {
      stopping = true;
      await stopChild(child);
      removeDir();
    },
    usage: () => processTreeUsage(pid),
  };
}

/**
 * Ready when nginx has written its pid file (it does so once its port is bound) and a TCP
 * connection to the port succeeds while it still runs; PortTaken when another process holds the port.
 */
function waitForReady(child: ChildProcess, port: number, pidFile: string, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const text = stderr().trim();
      if (text.includes('Address already in use')) finish(new PortTaken(`nginx could not listen on 127.0.0.1:${port}, another process holds it: ${text}`));
      else finish(new Error(`nginx did not start: it ${howItEnded(code, signal)}${text ? `: ${text}` : ''}`));
    };
    const onError = (error: Error) => finish(new Error(`nginx did not start: ${error.message}`));
    child.once('exit', onExit);
    child.once('error', onError);
    const attempt = () => {
      if (settled) return;
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        // Before nginx has written its own pid, a connection could reach a stranger holding the port while nginx retries its bind.
        if (child.exitCode === null && child.signalCode === null && pidIn(pidFile) === child.pid) finish();
        else retry();
      });
      socket.once('error', () => {
        socket.destroy();
        retry();
      });
    };
    const retry = () => {
      if (Date.now() > deadline)
        finish(new Error(`nginx did not answer on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1_000}s${stderr() ? `: ${stderr().trim()}` : ''}`));
      else setTimeout(attempt, READY_POLL_MS);
    };
    attempt();
  });
}

/** The pid in nginx's pid file (written once its ports are bound; `nginx -t` leaves one of its own), or null. */
function pidIn(pidFile: string): number | null {
  try {
    return Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
}
