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
import { setTimeout as sleep } from 'node:timers/promises';
import { availableParallelism } from 'node:os';
import { ClientFleet } from '../dist/runner/client-fleet.js';
import { clientId } from '../dist/runner/client-ids.js';
import { ControlApi } from '../dist/runner/control-api.js';
import { startServerProcess } from '../dist/runner/server-process.js';
import { parseFlags, positiveNumber } from './lib/args.mjs';
import { table } from './lib/figures.mjs';

const log = (line) => process.stderr.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function options() {
  const flags = parseFlags(process.argv.slice(2), ['connections', 'duration', 'rounds']);
  return {
    connections: positiveNumber(flags.connections ?? '100', 'connections'),
    durationS: positiveNumber(flags.duration ?? '5', 'duration'),
    rounds: positiveNumber(flags.rounds ?? '3', 'rounds'),
  };
}

/** push-bench's polling clients, as `run` shards them, counting the requests answered in the window. */
async function pushBenchRound(api, connections, durationS) {
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
    return { rps: report.snapshot.requests.total / elapsedS, errors: failures, clientElu: report.snapshot.usage.elu };
  } finally {
    await fleet.kill();
  }
}

async function autocannonRound(api, connections, durationS) {
  // Warm-up, then the measured run (autocannon counts from its own start).
  await autocannon({ url: `${api.baseUrl}/poll?client=${clientId(0)}&after=0`, connections, duration: 0.5 });
  const result = await autocannon({ url: `${api.baseUrl}/poll?client=${clientId(0)}&after=0`, connections, duration: durationS });
  return { rps: result.requests.total / durationS, errors: result.errors + result.non2xx + result.timeouts, clientElu: null };
}

async function main() {
  const opts = options();
  log(`bench:poll: ${opts.connections} connections, ${opts.rounds} rounds of ${opts.durationS} s each, ${availableParallelism()} cores, Node ${process.version}`);
  const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
  const api = new ControlApi(server.url);
  const rounds = [];
  try {
    await api.register(Array.from({ length: opts.connections }, (_, i) => clientId(i)));
    for (let round = 1; round <= opts.rounds; round++) {
      // Alternate which goes first, so neither always meets a warmer (or more tired) server.
      const order = round % 2 === 1 ? ['push-bench', 'autocannon'] : ['autocannon', 'push-bench'];
      const figures = {};
      for (const who of order) {
        figures[who] = who === 'push-bench' ? await pushBenchRound(api, opts.connections, opts.durationS) : await autocannonRound(api, opts.connections, opts.durationS);
        log(`bench:poll: round ${round} ${who}: ${Math.round(figures[who].rps)} requests/s, ${figures[who].errors} errors`);
      }
      rounds.push(figures);
    }
  } finally {
    await api.close();
    await server.stop();
  }
  const rows = rounds.map((r, i) => [`round ${i + 1}`, fmt(r['push-bench'].rps), fmt(r.autocannon.rps), (r['push-bench'].rps / r.autocannon.rps).toFixed(2) + 'x', String(r['push-bench'].errors + r.autocannon.errors)]);
  const pb = median(rounds.map((r) => r['push-bench'].rps));
  const ac = median(rounds.map((r) => r.autocannon.rps));
  // The machine's speed drifts between rounds; the ratio within a round is the steadier figure.
  const ratio = median(rounds.map((r) => r['push-bench'].rps / r.autocannon.rps));
  rows.push(['median', fmt(pb), fmt(ac), ratio.toFixed(2) + 'x', '']);
  process.stdout.write(`## bench:poll — GET /poll at full speed, ${opts.connections} connections\n\n${table(['', 'push-bench req/s', 'autocannon req/s', 'ratio', 'errors'], rows)}\n`);
}

const fmt = (v) => Math.round(v).toLocaleString('en-US');

main().catch((error) => {
  log(`bench:poll: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
