/**
 * npm run bench:heap [-- --connections 2000 --transports websocket,sse]
 *
 * Server memory per held connection, as retained heap: the reference server and the raw
 * baseline (bench/baseline/server.ts's few lines of ws / node:http) each in a fresh process,
 * read after full garbage collections before and after N idle connections open. Unlike
 * bench:scale's peak RSS in a delivering window, this leaves out garbage not yet collected and
 * the allocator's slack, so it is steady from run to run and shows what push-bench keeps per
 * connection; bench:scale shows what that costs in RSS under load.
 */
import { forkChild, stopChild } from '../src/runner/child-process.js';
import { parseFlags, positiveNumber, type FlagSpec } from './lib/args.js';
import { table } from './lib/figures.js';
import { ask, type Message } from './lib/ipc.js';
import { BenchFailed, log, runBench } from './lib/run-bench.js';

const FLAGS = {
  connections: { default: '2000', help: 'idle connections held (at most ~19,000: one process each side)' },
  transports: { default: 'websocket,sse', help: 'websocket, sse or both' },
} satisfies FlagSpec;

const SIDES = ['push-bench', 'baseline'] as const;
type Side = (typeof SIDES)[number];
interface HeapReply extends Message {
  type: 'heap';
  heapUsed: number;
  external: number;
  rss: number;
}

async function measure(side: Side, transport: string, connections: number): Promise<HeapReply> {
  const child = forkChild(new URL('./heap/server.js', import.meta.url), [side, transport, String(connections)]);
  try {
    const failed = new Promise<never>((_, reject) =>
      child.on(
        'message',
        (m: { type: string; message?: string }) =>
          m.type === 'heap-failed' && reject(new BenchFailed(`${side} ${transport}: a connection failed: ${m.message}`)),
      ),
    );
    return await Promise.race([ask<HeapReply>(child, undefined, 'heap'), failed]);
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  const connections = positiveNumber(flags.connections, 'connections');
  const transports = flags.transports.split(',').map((t) => t.trim());
  for (const t of transports) if (t !== 'websocket' && t !== 'sse') throw new BenchFailed(`--transports: ${t} is not websocket or sse`);
  log(`bench:heap: ${connections} idle connections, ${transports.join(', ')}`);
  const rows: string[][] = [];
  for (const transport of transports) {
    const figures = {} as Record<Side, HeapReply>;
    for (const side of SIDES) {
      figures[side] = await measure(side, transport, connections);
      log(`bench:heap: ${transport} ${side}: ${Math.round(figures[side].heapUsed)} B of heap per connection`);
    }
    const [ours, raw] = [figures['push-bench'], figures.baseline];
    rows.push([
      transport,
      String(Math.round(ours.heapUsed)),
      String(Math.round(raw.heapUsed)),
      `${(ours.heapUsed / raw.heapUsed).toFixed(2)}x`,
      `${Math.round(ours.rss)} / ${Math.round(raw.rss)}`,
    ]);
  }
  process.stdout.write(`${table(['transport', 'push-bench heap B/conn', 'baseline heap B/conn', 'ratio', 'RSS B/conn (noisy)'], rows)}\n`);
}

runBench('bench:heap', FLAGS, main);
