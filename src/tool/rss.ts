/**
 * This process's resident set size, or undefined when it cannot be read: Node reads it from
 * /proc, which needs a file descriptor, so at the open-file limit it throws EMFILE. A process at
 * its limit (a server holding every connection it can, a client shard with thousands of
 * sockets) must keep working rather than die of its own bookkeeping.
 */
export function readRss(): number | undefined {
  try {
    return process.memoryUsage.rss();
  } catch {
    return undefined;
  }
}
