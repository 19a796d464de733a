/** Process checks by PID, from /proc (Linux), for tests that must prove nothing was left behind. */
import { readFileSync, readdirSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie has exited but not been reaped: it holds no port and runs nothing.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]?.startsWith('Z');
  } catch {
    return false;
  }
}

/** Every descendant of `pid` now, with its command line. */
export function descendants(pid: number): Array<{ pid: number; cmdline: string }> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: Array<{ pid: number; cmdline: string }> = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift()!;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${next}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    found.push({ pid: next, cmdline });
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}
