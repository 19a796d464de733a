/**
 * How many connections the server can hold before it runs out of file descriptors. Node has no
 * getrlimit, so the soft limit is read from /proc/self/limits (Linux); elsewhere, or when it
 * cannot be read, there is no known limit and the kernel's EMFILE is the only guard.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Descriptors kept free beyond those open at start (stdio, IPC, epoll, the listener): the 16
 * connections that may be in the middle of being shed with a 503, and a few for /proc reads.
 * Small on purpose: the run's preflight (runner/limits.ts) keeps 64 files per process free, so
 * every client it lets a run have (plus the runner's few control connections) is accepted here.
 */
export const RESERVED_DESCRIPTORS = 24;

/** The soft open-files limit, or null when unknown or unlimited. */
export function openFilesLimit(limitsText: string | undefined = readLimits()): number | null {
  const line = limitsText?.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  const value = soft === undefined ? Number.NaN : Number(soft);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Connections to hold at most: the open-files limit less what is open now and the reserve; null when the limit is unknown. */
export function defaultMaxConnections(limit: number | null = openFilesLimit(), openNow: number = openDescriptors()): number | null {
  return limit === null ? null : Math.max(1, limit - openNow - RESERVED_DESCRIPTORS);
}

/** Descriptors this process has open (0 where /proc is not there). */
function openDescriptors(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
