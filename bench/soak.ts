/**
 * npm run bench:soak [-- --duration 600 --clients 50000 --transports websocket --rate 1 --audience 10%]
 *
 * Holds N clients per transport for a long measured window with events flowing (broadcasts at
 * a fixed rate, to every client or to --audience), through push-bench's own runner as `push-bench run` drives
 * it, and samples the RSS of the reference server and of every client process every second.
 * Verdict: per transport, the median RSS of the window's last minute lies within ±10 % of the
 * median of its first minute, for the server and for the client processes summed, and no event
 * was lost or duplicated; exit 1 if not. The samples go to a JSON file; a text chart of them to
 * stdout. Bounded in time, loopback only, every process stopped by PID (also on Ctrl-C).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { PhaseStatus } from '../src/runner/phase.js';
import { TRANSPORT_NAMES, type TransportName } from '../src/transports/catalog.js';
import { audienceOf, BadFlag, parseFlags, positiveNumber, transportList, type FlagSpec } from './lib/args.js';
import { notConnected, planFleet, runBroadcast } from './lib/push-bench-run.js';
import { RssSampler } from './lib/rss-sampler.js';
import { BenchFailed, log, runBench } from './lib/run-bench.js';
import { soakReport, verdictOf, type SoakedTransport } from './lib/soak-report.js';

const FLAGS = {
  duration: { default: '600', help: 'measured seconds per transport' },
  // The server keeps each client's events for 30 s here (retention sized to the scenario), then its store stops growing;
  // the heaps of server and clients take a couple of minutes longer to settle (docs/benchmarks.md).
  warmup: { default: '130', help: 'warm-up seconds per transport (not judged: the server store and the heaps settle)' },
  clients: { default: '10000', help: 'clients held per transport' },
  transports: { default: 'websocket,sse', help: `transports in turn, comma-separated (${TRANSPORT_NAMES.join(', ')})` },
  rate: { default: '2', help: 'broadcasts per second' },
  audience: { default: 'all', help: 'who receives each broadcast: all, or a share of the clients such as 10%' },
  'sample-interval': { default: '1', help: 'seconds between RSS samples' },
  out: { default: 'results/bench-soak-<time>.json', help: 'where the samples and figures are written (JSON)' },
} satisfies FlagSpec;

type Options = ReturnType<typeof options>;

function options() {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  const clients = positiveNumber(flags.clients, 'clients');
  if (!Number.isInteger(clients)) throw new BadFlag(`--clients ${JSON.stringify(flags.clients)}: give a whole number`);
  return {
    durationS: positiveNumber(flags.duration, 'duration'),
    warmupS: positiveNumber(flags.warmup, 'warmup'),
    clients,
    transports: transportList(flags.transports),
    ratePerS: positiveNumber(flags.rate, 'rate'),
    audience: audienceOf(flags.audience),
    intervalS: positiveNumber(flags['sample-interval'], 'sample-interval'),
    out: flags.out === FLAGS.out.default ? `results/bench-soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json` : flags.out,
  };
}

/** One progress line a minute while the window runs, so a soak in the background can be followed in its log. */
function progressLogger(transport: TransportName, sampler: RssSampler) {
  let lastLoggedMs = 0;
  return (status: PhaseStatus, stepChanged: boolean) => {
    if (stepChanged) sampler.setStep(status.step);
    const now = performance.now();
    if (!stepChanged && now - lastLoggedMs < 60_000) return;
    lastLoggedMs = now;
    const last = sampler.samples.at(-1);
    const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '—' : `${(bytes / 1e6).toFixed(0)} MB`);
    const elapsedS = Math.round((now - status.phaseStartedMs) / 1_000);
    log(
      `bench:soak: ${transport} ${status.step} ${elapsedS}/${Math.round(status.phasePlannedMs / 1_000)} s: ` +
        `${status.connected} connected, ${status.delivered} delivered; server ${mb(last?.serverBytes)}, clients ${mb(last?.clientBytes)}`,
    );
  };
}

async function soak(opts: Options, transport: TransportName): Promise<SoakedTransport> {
  const { shards, serverProcesses, rampUpMs, check } = planFleet(opts.clients);
  if (check.problems.length > 0) throw new BadFlag(check.problems.map((p) => p.message).join(' '));
  log(`bench:soak: ${transport}, ${opts.clients} clients, ${serverProcesses} server and ${shards} client process(es), ${opts.ratePerS} broadcast/s`);
  const sampler = new RssSampler(opts.intervalS * 1_000);
  try {
    const result = await runBroadcast(
      {
        bench: 'soak',
        transport,
        clients: opts.clients,
        shards,
        rampUpMs,
        ratePerS: opts.ratePerS,
        warmupMs: opts.warmupS * 1_000,
        durationMs: opts.durationS * 1_000,
        payloadBytes: 200,
        audience: opts.audience,
        localAddresses: check.localAddresses,
      },
      { onStatus: progressLogger(transport, sampler), onFault: (message) => log(`bench:soak: ${message}`) },
    );
    return { transport, clients: opts.clients, held: opts.clients - notConnected(result.warnings), result, samples: sampler.stop() };
  } finally {
    sampler.stop();
    if (sampler.skipped > 0) log(`bench:soak: ${sampler.skipped} samples skipped (a reading took longer than the interval)`);
  }
}

async function writeSamples(opts: Options, runs: SoakedTransport[]): Promise<void> {
  await mkdir(dirname(opts.out), { recursive: true });
  const transports = runs.map((run) => ({ ...run, verdict: verdictOf(run) }));
  await writeFile(opts.out, JSON.stringify({ options: opts, node: process.version, cores: availableParallelism(), transports }, null, 2));
}

async function main(): Promise<void> {
  const opts = options();
  log(`bench:soak: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const runs: SoakedTransport[] = [];
  for (const transport of opts.transports) {
    runs.push(await soak(opts, transport));
    // After each transport, so that a soak stopped halfway keeps what it measured.
    await writeSamples(opts, runs);
  }
  process.stdout.write(`${soakReport(runs, opts)}\n`);
  log(`bench:soak: samples written to ${opts.out}`);
  const failed = runs.filter((run) => !verdictOf(run).ok).map((run) => run.transport);
  if (failed.length > 0) throw new BenchFailed(`not flat or not every event delivered once: ${failed.join(', ')} (see the tables above)`);
  log('bench:soak: RSS flat within ±10 % after warm-up, every event delivered once');
}

runBench('bench:soak', FLAGS, main);
