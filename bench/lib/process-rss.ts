/**
 * Resident set size of the processes push-bench forked (the reference server, the client
 * processes), read from /proc. One reading covers every process at the same moment, costs a
 * few small file reads, and does not ask the measured server anything: a server busy in a
 * garbage collection answers /stats late, but its /proc entry is read on time. VmRSS is the
 * figure the server's /stats reports as memory.rssBytes (libuv reads the same counter).
 */
import { readFile } from 'node:fs/promises';

type ChildRole = 'server' | 'client';

export interface ChildRss {
  pid: number;
  role: ChildRole;
  /** Resident set size, bytes. */
  rssBytes: number;
}

/** How each child is recognised: the entry file it was forked with (src/runner/child-process.ts). */
const ROLE_BY_ENTRY: ReadonlyArray<readonly [string, ChildRole]> = [
  ['server/child.js', 'server'],
  ['runner/client-process.js', 'client'],
];

/**
 * The RSS of each live child of `parentPid` that is a reference server or a client process.
 * Throws when /proc cannot say (not Linux): a soak without memory readings would be no soak.
 */
export async function childrenRss(parentPid = process.pid): Promise<ChildRss[]> {
  // Children forked by Node's main thread are listed under the thread whose id is the pid.
  const listed = await readFile(`/proc/${parentPid}/task/${parentPid}/children`, 'utf8');
  const pids = listed.split(/\s+/).filter(Boolean).map(Number);
  const children = await Promise.all(pids.map(readChild));
  return children.filter((child): child is ChildRss => child !== undefined);
}

async function readChild(pid: number): Promise<ChildRss | undefined> {
  try {
    const [cmdline, status] = await Promise.all([readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8')]);
    const role = ROLE_BY_ENTRY.find(([entry]) => cmdline.includes(entry))?.[1];
    const rssBytes = vmRssBytes(status);
    return role && rssBytes !== undefined ? { pid, role, rssBytes } : undefined;
  } catch {
    // It exited between the listing and the reading: it has no memory left to count.
    return undefined;
  }
}

/** VmRSS of a /proc/<pid>/status text, bytes; undefined for a process that has exited (a zombie has none). */
export function vmRssBytes(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}
