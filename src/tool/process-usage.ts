/**
 * CPU time and resident memory of another process (and its children), read from Linux's /proc:
 * for programs push-bench runs but cannot ask (nginx), or a server it did not start (--target-pid).
 * Node reads only its own process's usage, hence /proc by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: the unit of /proc/<pid>/stat's CPU times on every architecture push-bench runs on (Node has no sysconf). */
const CLOCK_TICKS_PER_S = 100;
/** How often a watched process's RSS is read, for its peak between two marks. */
const RSS_SAMPLE_MS = 100;

export interface ProcessTreeUsage {
  /** User + system CPU time since the processes started, summed. Milliseconds. */
  cpuMs: number;
  /** Resident memory, summed over the processes (shared pages count in each). Bytes. */
  rssBytes: number;
}

/**
 * A process and its descendants, from /proc; null when the process cannot be read (gone, or not
 * Linux). Descendants, not only children: a program started by a script (RabbitMQ: a shell whose
 * child is the Erlang VM, whose children are its helpers) does its work below the first level.
 */
export function processTreeUsage(pid: number): ProcessTreeUsage | null {
  const root = processUsage(pid);
  if (!root) return null;
  let { cpuMs, rssBytes } = root;
  for (const child of descendantsOf(pid)) {
    const usage = processUsage(child);
    if (!usage) continue; // a child that has just exited
    cpuMs += usage.cpuMs;
    rssBytes += usage.rssBytes;
  }
  return { cpuMs, rssBytes };
}

/** What a watched process did between two marks: CPU used, and its peak RSS sampled meanwhile. */
export interface WatchedWindow {
  cpuMs: number;
  rssPeakBytes: number;
}

/** Watches a process from outside over measured windows, like a server reports its own /stats. */
export class ProcessWatch {
  private startCpuMs: number | null = null;
  private rssPeak = 0;
  private sampler: NodeJS.Timeout | undefined;

  constructor(readonly pid: number) {}

  /** Whether the process can be read now. */
  readable(): boolean {
    return processTreeUsage(this.pid) !== null;
  }

  /** Opens a window (start) or closes it (end: its figures, or null when the process could not be read). */
  mark(edge: 'start' | 'end'): WatchedWindow | null {
    const usage = processTreeUsage(this.pid);
    if (edge === 'start') {
      this.startCpuMs = usage?.cpuMs ?? null;
      this.rssPeak = usage?.rssBytes ?? 0;
      clearInterval(this.sampler);
      this.sampler = setInterval(() => {
        this.rssPeak = Math.max(this.rssPeak, processTreeUsage(this.pid)?.rssBytes ?? 0);
      }, RSS_SAMPLE_MS).unref();
      return null;
    }
    clearInterval(this.sampler);
    if (!usage || this.startCpuMs === null) return null;
    return { cpuMs: usage.cpuMs - this.startCpuMs, rssPeakBytes: Math.max(this.rssPeak, usage.rssBytes) };
  }
}

function processUsage(pid: number): ProcessTreeUsage | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is the first, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const rssKb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (!Number.isFinite(ticks) || rssKb === undefined) return null;
    return { cpuMs: (ticks * 1_000) / CLOCK_TICKS_PER_S, rssBytes: Number(rssKb) * 1024 };
  } catch {
    return null;
  }
}

/** Every process below `pid`, each once (a tree has no cycles; the bound guards against PIDs reused while walking). */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const seen = new Set([pid]);
  for (let i = -1; i < found.length && found.length < MAX_DESCENDANTS; i++) {
    for (const child of childrenOf(i < 0 ? pid : found[i]!)) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
    }
  }
  return found;
}

/** More than any program push-bench watches starts (nginx: a master and a few workers; RabbitMQ: a shell, the VM and its helpers). */
const MAX_DESCENDANTS = 1_000;

/**
 * Child PIDs: the kernel's lists when it keeps them (CONFIG_PROC_CHILDREN), one per thread, as a
 * multithreaded parent's children hang off the thread that forked them; else every process whose parent is `pid`.
 */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    const children: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === pid) children.push(Number(name));
      } catch {
        // gone in between
      }
    }
    return children;
  }
}
