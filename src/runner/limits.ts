/**
 * What the operating system lets a run do, checked before anything starts: open
 * files per process, ephemeral ports per source address, the listen backlog, memory. Reading
 * the facts is I/O (`readLimits`); judging a plan against them is pure (`checkLimits`), so the
 * rules are tested with any machine's numbers.
 *
 * A *problem* means the run cannot work as planned: the caller exits 2 before starting, with
 * the number the machine allows and the fix. A *warning* means it will run, but something
 * (a slow ramp, TIME_WAIT ports, memory) may show in the figures.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, freemem, networkInterfaces, totalmem } from 'node:os';

export interface LimitFacts {
  /** RLIMIT_NOFILE of this process: soft (in force) and hard (the most it may raise to). */
  openFiles: { soft: number; hard: number };
  /** net.core.somaxconn: the kernel's cap on any listen backlog; null when unknown. */
  somaxconn: number | null;
  /** net.ipv4.ip_local_port_range, inclusive; null when unknown. */
  ephemeralPorts: { low: number; high: number } | null;
  /** net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only); null when unknown. */
  tcpTwReuse: number | null;
  /** Whether every 127.x.y.z is a local address (Linux: 127.0.0.1/8 on lo), so more source addresses need no setup. */
  loopbackSlash8: boolean;
  memory: { totalBytes: number; freeBytes: number };
  cores: number;
}

export interface LimitPlan {
  clients: number;
  /** Client processes the fleet is split over. */
  clientProcesses: number;
  /** Reference server processes the clients are spread over (default 1). */
  serverProcesses?: number;
  /** Source addresses the clients spread over (at least 1: the OS's choice counts as one). */
  sourceAddresses: number;
  rampUpMs: number;
  /** Transports run in turn: each leaves its closed connections in TIME_WAIT for a minute. */
  transports: number;
}

interface LimitFinding {
  /** Stable code, for the result's warnings and for tests. */
  code: 'open-files-server' | 'open-files-client' | 'ephemeral-ports' | 'memory' | 'accept-queue' | 'time-wait';
  message: string;
}

export interface LimitCheck {
  /** `nginx`: the clients go through an nginx that is missing or cannot hold them (never a warning, so no warning code). */
  problems: Array<{ code: LimitFinding['code'] | 'nginx' | 'broker' | 'server'; message: string }>;
  warnings: LimitFinding[];
}

/** Files a process holds besides its client sockets: stdio, IPC, the event loop, libuv's pool, control connections. */
export const RESERVED_FILES = 64;
/** Ports of a source address left for everything else on the machine (and sockets still in TIME_WAIT). */
const PORT_HEADROOM = 0.9;
/** Conservative memory per connection, both sides together (server ~10 KB, client ~40 KB measured with 10k clients). */
const BYTES_PER_CLIENT = 64 * 1024;
/** Connections per second the reference server accepts comfortably on one core (handshakes included); at 5,000/s a 10k WebSocket ramp saw 3.7 s connect p99 (SYN retries). */
const COMFORTABLE_CONNECTS_PER_S = 2_500;

/**
 * The most open files a process may use. Node raises its own soft RLIMIT_NOFILE to the hard
 * limit at startup (node.cc, PlatformInit), and every server and client process is a Node
 * process, so the soft limit never caps a run: `bash -c 'ulimit -Sn 300; node ...'` still gets
 * the hard limit. Only the hard limit counts, and only root can raise it.
 */
function usableFiles(facts: Pick<LimitFacts, 'openFiles'>): number {
  return facts.openFiles.hard;
}

/** Clients one source address can hold towards one server port: the ephemeral range, less headroom. */
function clientsPerSourceAddress(facts: Pick<LimitFacts, 'ephemeralPorts'>): number {
  return Math.floor(ephemeralPortCount(facts) * PORT_HEADROOM);
}

/*
 * Where connecting gets slow. Linux gives connect() a port from one half of the ephemeral range
 * (the even ports) and scans the other half only when that is used up towards the same server
 * address and port; bind() to a chosen source address draws from the odd half and checks every
 * port's owners. Measured on this project's machine (range 32768–60999): connects to one server
 * port cost ~50 µs each up to ~14,000 and ~680 µs past that; bound to one source address, ~70 µs
 * up to ~7,000 and 0.7–2 ms past that. At 100,000 clients the slow path made a 40 s ramp take
 * five minutes (the kernel's port search, 89 % of a client process's CPU). The defaults below
 * keep every socket on the fast path.
 */

/** Clients that connect quickly to one server port without a chosen source address: half the range, less headroom. */
export function clientsPerServerPort(facts: Pick<LimitFacts, 'ephemeralPorts'>): number {
  return Math.floor((ephemeralPortCount(facts) / 2) * PORT_HEADROOM);
}

/** Clients that connect quickly from one chosen source address (bind draws from half the range, slowly past half of that). */
export function clientsPerBoundAddress(facts: Pick<LimitFacts, 'ephemeralPorts'>): number {
  return Math.floor((ephemeralPortCount(facts) / 4) * PORT_HEADROOM);
}

function ephemeralPortCount(facts: Pick<LimitFacts, 'ephemeralPorts'>): number {
  const range = facts.ephemeralPorts;
  return range ? range.high - range.low + 1 : 31_000;
}

/** The most clients one client process can hold open at once: a socket each. */
export function maxClientsPerProcess(facts: LimitFacts): number {
  return Math.max(0, usableFiles(facts) - RESERVED_FILES);
}

/** The most clients the single reference server process can hold open at once. */
export function maxServerClients(facts: Pick<LimitFacts, 'openFiles'>): number {
  return Math.max(0, usableFiles(facts) - RESERVED_FILES);
}

/**
 * Reference server processes for `clients` when the scenario does not say: one while one process
 * can hold them all (under the open-file limit, RESERVED_FILES to spare); past that, enough that
 * each process's port also takes its clients on the kernel's fast path (clientsPerServerPort).
 */
export function defaultServerProcesses(clients: number, facts: Pick<LimitFacts, 'openFiles' | 'ephemeralPorts'> = readLimits()): number {
  const perProcess = maxServerClients(facts);
  if (clients <= perProcess) return 1;
  return Math.ceil(clients / Math.max(1, Math.min(perProcess, clientsPerServerPort(facts))));
}

export function checkLimits(facts: LimitFacts, plan: LimitPlan): LimitCheck {
  const result: LimitCheck = { problems: [], warnings: [] };
  checkServerFiles(facts, plan, result);
  checkClientFiles(facts, plan, result);
  checkPorts(facts, plan, result);
  checkMemory(facts, plan, result);
  checkAcceptQueue(facts, plan, result);
  checkTimeWait(facts, plan, result);
  return result;
}

function checkServerFiles(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  const allowed = maxServerClients(facts);
  const processes = Math.max(1, plan.serverProcesses ?? 1);
  const perProcess = Math.ceil(plan.clients / processes);
  if (perProcess > allowed) {
    const needed = Math.ceil(plan.clients / Math.max(1, allowed));
    const where = processes === 1 ? 'in the reference server' : `in each of ${processes} reference server processes`;
    out.problems.push({
      code: 'open-files-server',
      message:
        `${plan.clients} clients need ${perProcess + RESERVED_FILES} open files ${where} (one socket each), ` +
        `but a process may open ${facts.openFiles.hard} here (ulimit -Hn): at most ${allowed} clients. ` +
        `Fix: run with clients.count ≤ ${allowed * processes}, or --server-processes ${needed} (or more, or leave it out: the default is enough), or raise the hard limit (as root: ulimit -Hn ${perProcess + RESERVED_FILES}, or nofile in /etc/security/limits.conf).`,
    });
  }
}

function checkClientFiles(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  const perProcess = Math.ceil(plan.clients / Math.max(1, plan.clientProcesses));
  const allowed = Math.max(0, usableFiles(facts) - RESERVED_FILES);
  if (perProcess <= allowed) return;
  const needed = Math.ceil(plan.clients / Math.max(1, allowed));
  out.problems.push({
    code: 'open-files-client',
    message:
      `${plan.clients} clients over ${plan.clientProcesses} client process${plan.clientProcesses === 1 ? '' : 'es'} is ${perProcess} sockets per process, ` +
      `but a process may open ${facts.openFiles.hard} files here: at most ${allowed} clients per process. Fix: --client-processes ${needed} (or more).`,
  });
}

function checkPorts(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  const perAddress = clientsPerSourceAddress(facts);
  // Without chosen source addresses each server process's port has its own range; a bound socket's port is taken on its address whatever the server port.
  const capacity = perAddress * (plan.sourceAddresses > 1 ? plan.sourceAddresses : Math.max(1, plan.serverProcesses ?? 1));
  if (plan.clients <= capacity) return;
  const needed = Math.ceil(plan.clients / perAddress);
  const range = facts.ephemeralPorts;
  const rangeText = range ? ` (net.ipv4.ip_local_port_range ${range.low}–${range.high})` : '';
  const fix = facts.loopbackSlash8
    ? `spread the clients over ${needed} source addresses (127.0.0.1 … 127.0.0.${needed}); they need no setup on this machine`
    : `add ${needed - 1} more loopback addresses (e.g. sudo ifconfig lo0 alias 127.0.0.2) and spread the clients over them, or widen the port range`;
  out.problems.push({
    code: 'ephemeral-ports',
    message:
      `${plan.clients} clients need ${plan.clients} ephemeral ports, but ${plan.sourceAddresses} source address${plan.sourceAddresses === 1 ? '' : 'es'} ` +
      `give${plan.sourceAddresses === 1 ? 's' : ''} about ${capacity}${rangeText}. Fix: ${fix}.`,
  });
}

function checkMemory(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  const estimate = plan.clients * BYTES_PER_CLIENT;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (estimate > facts.memory.totalBytes) {
    const allowed = Math.floor(facts.memory.totalBytes / BYTES_PER_CLIENT);
    out.problems.push({
      code: 'memory',
      message: `${plan.clients} clients need about ${gib(estimate)} of memory (server and clients), the machine has ${gib(facts.memory.totalBytes)}: at most about ${allowed} clients. Fix: fewer clients, or a larger machine.`,
    });
  } else if (estimate > facts.memory.freeBytes) {
    out.warnings.push({
      code: 'memory',
      message: `${plan.clients} clients need about ${gib(estimate)} of memory and ${gib(facts.memory.freeBytes)} is free now: the run may swap or be killed. Fix: close other programs or run fewer clients.`,
    });
  }
}

/**
 * A SYN that finds the accept queue full is dropped and retried by the client's kernel after
 * 1 s (then 3 s, ...), which shows up as connect-time outliers, not failures. The server
 * listens with the largest backlog the kernel allows (somaxconn); a ramp that offers more
 * connections per second than the server comfortably accepts risks filling it.
 */
function checkAcceptQueue(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  if (plan.clients <= (facts.somaxconn ?? 128)) return;
  const perSecond = plan.rampUpMs > 0 ? (plan.clients * 1_000) / plan.rampUpMs : Infinity;
  if (perSecond <= COMFORTABLE_CONNECTS_PER_S) return;
  const minRampS = Math.ceil(plan.clients / COMFORTABLE_CONNECTS_PER_S);
  out.warnings.push({
    code: 'accept-queue',
    message:
      `${plan.clients} clients over a ${plan.rampUpMs} ms ramp is ${Number.isFinite(perSecond) ? Math.round(perSecond) : 'all'} connects per second; ` +
      `the listen backlog holds ${facts.somaxconn ?? 'an unknown number of'} (net.core.somaxconn) and overflowing it costs 1 s connect retries. ` +
      `Fix: clients.rampUp ≥ ${minRampS}s.`,
  });
}

/** Each transport's phase closes every client connection, and the closing side keeps its port in TIME_WAIT for 60 s. */
function checkTimeWait(facts: LimitFacts, plan: LimitPlan, out: LimitCheck): void {
  if (plan.transports < 2 || facts.tcpTwReuse === null || facts.tcpTwReuse !== 0) return;
  const capacity = clientsPerSourceAddress(facts) * Math.max(1, plan.sourceAddresses);
  if (plan.clients * 2 <= capacity) return;
  out.warnings.push({
    code: 'time-wait',
    message:
      `net.ipv4.tcp_tw_reuse is 0: the ${plan.clients} ports of one transport stay in TIME_WAIT for 60 s and the next transport may run out. ` +
      `Fix: sysctl -w net.ipv4.tcp_tw_reuse=2, or more source addresses.`,
  });
}

/** Renders findings for the terminal: one line each, problems first. */
export function formatLimitCheck(check: LimitCheck): string[] {
  return [...check.problems.map((p) => `push-bench: cannot run: ${p.message}`), ...check.warnings.map((w) => `push-bench: warning: ${w.message}`)];
}

// ---- reading the facts (I/O) ----

export function readLimits(): LimitFacts {
  return {
    openFiles: readOpenFiles(),
    somaxconn: readNumber('/proc/sys/net/core/somaxconn'),
    ephemeralPorts: readPortRange(),
    tcpTwReuse: readNumber('/proc/sys/net/ipv4/tcp_tw_reuse'),
    loopbackSlash8: hasLoopbackSlash8(),
    memory: { totalBytes: totalmem(), freeBytes: readAvailableMemory() ?? freemem() },
    cores: availableParallelism(),
  };
}

/** `Max open files  <soft>  <hard>  files` from /proc/self/limits; unknown → a generous guess. */
export function parseOpenFiles(procLimits: string): { soft: number; hard: number } | undefined {
  const line = procLimits.split('\n').find((l) => l.startsWith('Max open files'));
  const match = line?.match(/^Max open files\s+(\S+)\s+(\S+)/);
  if (!match) return undefined;
  const value = (text: string | undefined) => (text === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(text));
  return { soft: value(match[1]), hard: value(match[2]) };
}

function readOpenFiles(): { soft: number; hard: number } {
  try {
    return parseOpenFiles(readFileSync('/proc/self/limits', 'utf8')) ?? { soft: 1_024, hard: 1_024 };
  } catch {
    // Not Linux: assume the common default rather than claim more than we know.
    return { soft: 1_024, hard: 1_024 };
  }
}

function readNumber(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function readPortRange(): { low: number; high: number } | null {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && high !== undefined && high >= low ? { low, high } : null;
  } catch {
    return null;
  }
}

/** MemAvailable counts reclaimable page cache, which freemem() does not. */
function readAvailableMemory(): number | undefined {
  try {
    const match = readFileSync('/proc/meminfo', 'utf8').match(/^MemAvailable:\s+(\d+) kB/m);
    return match ? Number(match[1]) * 1_024 : undefined;
  } catch {
    return undefined;
  }
}

function hasLoopbackSlash8(): boolean {
  if (process.platform !== 'linux') return false;
  return Object.values(networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((a) => a.family === 'IPv4' && a.address === '127.0.0.1' && a.netmask === '255.0.0.0'),
  );
}
