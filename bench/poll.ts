/**
 * npm run bench:poll [-- --connections 100 --duration 5 --rounds 3]
 *
 * Drives the reference server's GET /poll at full speed, in one run against one server
 * process, alternately with push-bench's polling clients (chained, no pause between polls,
 * one keep-alive connection each) and with autocannon (same number of connections), and prints
 * the requests per second of each and their ratio. Polls find nothing: this measures the
 * request path, the part short polling pays for on every tick.
 */
import autocannon from 'autocannon';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClientFleet } from '../src/runner/client-fleet.js';
import { clientId } from '../src/runner/client-ids.js';
import { ControlApi } from '../src/targets/contract/control.js';
import { startServerProcess } from '../src/runner/server-process.js';
import { parseFlags, positiveNumber, type FlagSpec } from './lib/args.js';
import { log, runBench } from './lib/run-bench.js';
import { formatRate, table } from './lib/figures.js';

const FLAGS = {
  connections: { default: '100', help: 'connections (clients) polling at once' },
  duration: { default: '5', help: 'seconds measured per round and tool' },
  rounds: { default: '3', help: 'rounds, the order of the two tools alternating' },
} satisfies FlagSpec;

const TOOLS = ['push-bench', 'autocannon'] as const;
type Tool = (typeof TOOLS)[number];
interface RoundFigures {
  /** Requests answered per second. */
  rps: number;
  errors: number;
}

function options() {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  return {
    connections: positiveNumber(flags.connections, 'connections'),
    durationS: positiveNumber(flags.duration, 'duration'),
    rounds: positiveNumber(flags.rounds, 'rounds'),
  };
}

/** The middle value (the upper one of an even count), as the tables print it. */
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** push-bench's polling clients, as `run` shards them, counting the requests answered in the window. */
async function pushBenchRound(api: ControlApi, connections: number, durationS: number): Promise<RoundFigures> {
  const fleet = new ClientFleet({
    baseUrl: api.baseUrl,
    plan: { name: 'polling', settings: { intervalMs: 0, mode: 'chained' } },
    clientCount: connections,
    shards: 1,
    rampUpMs: 200,
    seed: 1,
    localAddresses: [],
  });
  try {
    await fleet.connect();
    await fleet.setWindow(0n, 1n);
    await sleep(500); // warm-up
    await fleet.mark('start');
    const started = performance.now();
    await sleep(durationS * 1_000);
    await fleet.mark('end');
    const elapsedS = (performance.now() - started) / 1_000;
    const report = await fleet.stop();
    const failures = Object.values(report.failures.counts).reduce((a, b) => a + b, 0);
    return { rps: report.snapshot.requests.total / elapsedS, errors: failures };
  } finally {
    await fleet.kill();
  }
}

async function autocannonRound(api: ControlApi, connections: number, durationS: number): Promise<RoundFigures> {
  const url = `${api.baseUrl}/poll?client=${clientId(0)}&after=0`;
  // Warm-up, then the measured run (autocannon counts from its own start).
  await autocannon({ url, connections, duration: 0.5 });
  const result = await autocannon({ url, connections, duration: durationS });
  return { rps: result.requests.total / durationS, errors: result.errors + result.non2xx + result.timeouts };
}

async function main(): Promise<void> {
  const opts = options();
  log(
    `bench:poll: ${opts.connections} connections, ${opts.rounds} rounds of ${opts.durationS} s each, ${availableParallelism()} cores, Node ${process.version}`,
  );
  const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
  const api = new ControlApi(server.url);
  const rounds: Array<Record<Tool, RoundFigures>> = [];
  try {
    await api.register(Array.from({ length: opts.connections }, (_, i) => clientId(i)));
    for (let round = 1; round <= opts.rounds; round++) {
      // Alternate which goes first, so neither always meets a warmer (or more tired) server.
      const order = round % 2 === 1 ? TOOLS : [...TOOLS].reverse();
      const figures: Partial<Record<Tool, RoundFigures>> = {};
      for (const tool of order) {
        const f =
          tool === 'push-bench' ? await pushBenchRound(api, opts.connections, opts.durationS) : await autocannonRound(api, opts.connections, opts.durationS);
        figures[tool] = f;
        log(`bench:poll: round ${round} ${tool}: ${Math.round(f.rps)} requests/s, ${f.errors} errors`);
      }
      rounds.push(figures as Record<Tool, RoundFigures>);
    }
  } finally {
    await api.close();
    await server.stop();
  }
  const ratioOf = (r: Record<Tool, RoundFigures>) => r['push-bench'].rps / r.autocannon.rps;
  const rows = rounds.map((r, i) => [
    `round ${i + 1}`,
    formatRate(r['push-bench'].rps),
    formatRate(r.autocannon.rps),
    ratioOf(r).toFixed(2) + 'x',
    String(r['push-bench'].errors + r.autocannon.errors),
  ]);
  // The machine's speed drifts between rounds; the ratio within a round is the steadier figure.
  rows.push([
    'median',
    formatRate(median(rounds.map((r) => r['push-bench'].rps))),
    formatRate(median(rounds.map((r) => r.autocannon.rps))),
    median(rounds.map(ratioOf)).toFixed(2) + 'x',
    '',
  ]);
  process.stdout.write(
    `## bench:poll — GET /poll at full speed, ${opts.connections} connections\n\n${table(['', 'push-bench req/s', 'autocannon req/s', 'ratio', 'errors'], rows)}\n`,
  );
}

runBench('bench:poll', FLAGS, main);
