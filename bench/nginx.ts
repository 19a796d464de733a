/**
 * npm run bench:nginx [-- --clients 100 --transport sse --rate 20 --duration 5 --rounds 3]
 *
 * What a real nginx in front of the reference server adds to delivery latency: one server
 * process, one nginx (the runner's, with its production defaults), and the same fleet of
 * client processes connected alternately straight to the server and through nginx. The
 * publisher talks to the server directly in both cases, as in a run. Prints latency p50/p99 of
 * each path and the CPU time and memory nginx used for its rounds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { availableParallelism } from 'node:os';
import { summarizeEncoded } from '../src/metrics/histogram.js';
import { ClientFleet } from '../src/runner/client-fleet.js';
import { clientId } from '../src/runner/client-ids.js';
import { ControlApi } from '../src/targets/contract/control.js';
import { startNginx, type NginxProcess } from '../src/runner/nginx-process.js';
import { startServerProcess } from '../src/runner/server-process.js';
import { parseTransportName, transportModule, type TransportPlan } from '../src/transports/catalog.js';
import { parseFlags, positiveNumber, type FlagSpec } from './lib/args.js';
import { table } from './lib/figures.js';
import { log, runBench } from './lib/run-bench.js';

const FLAGS = {
  clients: { default: '100', help: 'clients connected at once' },
  transport: { default: 'sse', help: 'transport of the clients (polling, long-polling, sse, websocket)' },
  rate: { default: '20', help: 'broadcasts per second, each to every client' },
  duration: { default: '5', help: 'seconds measured per round and path' },
  rounds: { default: '3', help: 'rounds, the order of the two paths alternating' },
} satisfies FlagSpec;

const PATHS = ['direct', 'nginx'] as const;
type Path = (typeof PATHS)[number];
const WARM_UP_MS = 1_000;
const DRAIN_MS = 1_000;

interface RoundFigures {
  p50: number | null;
  p99: number | null;
  delivered: number;
  expected: number;
  /** nginx's CPU over the round, ms (null on the direct path). */
  nginxCpuMs: number | null;
}

function options() {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  return {
    clients: positiveNumber(flags.clients, 'clients'),
    transport: parseTransportName(flags.transport),
    rate: positiveNumber(flags.rate, 'rate'),
    durationS: positiveNumber(flags.duration, 'duration'),
    rounds: positiveNumber(flags.rounds, 'rounds'),
  };
}

/** One path for one round: connect, warm up, publish at the rate over the window, drain, stop. */
async function round(
  baseUrl: string,
  api: ControlApi,
  plan: TransportPlan,
  opts: ReturnType<typeof options>,
  nginx: NginxProcess | null,
): Promise<RoundFigures> {
  await api.reset();
  await api.register(Array.from({ length: opts.clients }, (_, i) => clientId(i)));
  const fleet = new ClientFleet({ baseUrl, plan, clientCount: opts.clients, shards: 1, rampUpMs: 500, seed: 1, localAddresses: [] });
  try {
    await fleet.connect();
    const intervalNs = BigInt(Math.round(1e9 / opts.rate));
    const startNs = process.hrtime.bigint() + BigInt(WARM_UP_MS) * 1_000_000n;
    const count = Math.round(opts.durationS * opts.rate);
    const endNs = startNs + BigInt(count) * intervalNs;
    await fleet.setWindow(startNs, endNs);
    await fleet.mark('start');
    const cpuBefore = nginx?.usage()?.cpuMs ?? null;
    // Warm-up events, then the window's: each at its intended time, which is what latency counts from.
    const warmUp = Math.round((WARM_UP_MS / 1_000) * opts.rate);
    for (let i = -warmUp; i < count; i++) {
      const intendedNs = startNs + BigInt(i) * intervalNs;
      const waitMs = Number(intendedNs - process.hrtime.bigint()) / 1e6;
      if (waitMs > 0) await sleep(waitMs);
      await api.publish([{ index: i, to: 'all', intended: String(intendedNs), payloadBytes: 200 }]);
    }
    await sleep(DRAIN_MS);
    await fleet.mark('end');
    const cpuAfter = nginx?.usage()?.cpuMs ?? null;
    const report = await fleet.stop();
    const latency = summarizeEncoded(report.snapshot.latency);
    return {
      p50: latency.p50,
      p99: latency.p99,
      delivered: latency.count,
      expected: count * opts.clients,
      nginxCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    };
  } finally {
    await fleet.kill();
  }
}

const ms = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

async function main(): Promise<void> {
  const opts = options();
  log(
    `bench:nginx: ${opts.clients} ${opts.transport} clients, ${opts.rate} broadcasts/s, ${opts.rounds} rounds of ${opts.durationS} s, ${availableParallelism()} cores`,
  );
  const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
  const api = new ControlApi(server.url);
  const nginx = await startNginx({ upstreamPort: Number(new URL(server.url).port), clients: opts.clients });
  // The transport's defaults, as a scenario that names it and nothing else.
  const settings: unknown = transportModule(opts.transport).settings.parse({});
  const plan = { name: opts.transport, settings } as TransportPlan;
  const rows: string[][] = [];
  try {
    for (let r = 1; r <= opts.rounds; r++) {
      // Alternate which goes first, so neither always meets a warmer (or more tired) server.
      const order = r % 2 === 1 ? PATHS : [...PATHS].reverse();
      for (const path of order as readonly Path[]) {
        const f = await round(path === 'nginx' ? nginx.url : server.url, api, plan, opts, path === 'nginx' ? nginx : null);
        log(`bench:nginx: round ${r} ${path}: p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms, ${f.delivered}/${f.expected} delivered`);
        rows.push([`round ${r}`, path, ms(f.p50), ms(f.p99), `${f.delivered}/${f.expected}`, f.nginxCpuMs === null ? '' : String(Math.round(f.nginxCpuMs))]);
      }
    }
    const usage = nginx.usage();
    process.stdout.write(
      `## bench:nginx — ${opts.clients} ${opts.transport} clients, ${opts.rate} broadcasts/s of 200 bytes, ${opts.durationS} s per round\n\n` +
        `${table(['', 'path', 'latency p50 ms', 'latency p99 ms', 'delivered', 'nginx CPU ms'], rows)}\n\n` +
        `nginx at the end: ${usage ? `${Math.round(usage.cpuMs)} ms CPU in all, ${(usage.rssBytes / 1024 / 1024).toFixed(1)} MiB resident (master + worker)` : 'unknown'}\n`,
    );
  } finally {
    await nginx.stop();
    await api.close();
    await server.stop();
  }
}

runBench('bench:nginx', FLAGS, main);
