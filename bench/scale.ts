/**
 * npm run bench:scale [-- --clients 1000,10000,100000 --transports sse,websocket --rate 1 --audience 10% --duration 10]
 *
 * Per transport and fleet size: clients held, events delivered per second, latency p50/p99,
 * server RSS per connection, server and client CPU. For SSE, HTTP streaming and WebSocket the raw
 * baseline (bench/baseline/: plain ws and node:http broadcast loops) runs with the same N, rate and
 * machine in the same run, and push-bench's figures are printed as ratios to it; then both
 * are driven past saturation at 1,000 clients to compare delivered events per second.
 * Every run is bounded in time; every process is stopped by PID.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { Audience } from '../src/scenario/scenario.js';
import { TRANSPORT_NAMES, type TransportName } from '../src/transports/catalog.js';
import type { BaselineKind } from './baseline/messages.js';
import { audienceOf, audienceText, BadFlag, nonNegativeNumber, numberList, parseFlags, positiveNumber, transportList, type FlagSpec } from './lib/args.js';
import { runBaseline } from './lib/baseline-run.js';
import { RATIO_HEADER, SCALE_HEADER, ratioRow, scaleRow, table, type RunFigures } from './lib/figures.js';
import { idleServerRss, planFleet, runPushBench } from './lib/push-bench-run.js';
import { log, runBench } from './lib/run-bench.js';

/** The transports a plain loop of `ws`, `node:http` or `node:http2` can serve as a baseline. */
const BASELINE_KIND: Partial<Record<TransportName, BaselineKind>> = { websocket: 'ws', sse: 'sse', 'sse-h2': 'sse-h2', 'http-stream': 'ndjson' };

const FLAGS = {
  clients: { default: '1000,10000', help: 'fleet sizes, comma-separated' },
  transports: { default: 'websocket,sse,sse-h2,http-stream,long-polling,polling', help: `transports, comma-separated (${TRANSPORT_NAMES.join(', ')})` },
  rate: { default: '1', help: 'broadcasts per second' },
  audience: { default: 'all', help: 'who receives each broadcast: all, or a share such as 10% (no raw baseline then; saturation runs stay to all)' },
  duration: { default: '10', help: 'measured seconds per run' },
  warmup: { default: '2', help: 'warm-up seconds per run' },
  'saturation-rate': { default: '200', help: 'broadcasts per second of the saturation runs; 0 skips them' },
  'saturation-clients': { default: '1000', help: 'fleet size of the saturation runs' },
  baseline: { default: 'on', help: 'on or off: run the raw baseline beside push-bench' },
  repeats: { default: '3', help: 'repeats of each pair at up to 1,000 clients' },
  out: { default: 'results/bench-scale-<time>.json', help: 'where the figures are written' },
} satisfies FlagSpec;

type Options = ReturnType<typeof options>;

function options() {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  if (flags.baseline !== 'on' && flags.baseline !== 'off') throw new BadFlag(`--baseline ${JSON.stringify(flags.baseline)}: give on or off`);
  return {
    clients: numberList(flags.clients, 'clients'),
    transports: transportList(flags.transports),
    ratePerS: positiveNumber(flags.rate, 'rate'),
    audience: audienceOf(flags.audience),
    durationMs: positiveNumber(flags.duration, 'duration') * 1_000,
    warmupMs: positiveNumber(flags.warmup, 'warmup') * 1_000,
    saturationRate: nonNegativeNumber(flags['saturation-rate'], 'saturation-rate'),
    saturationClients: positiveNumber(flags['saturation-clients'], 'saturation-clients'),
    baseline: flags.baseline === 'on',
    // The machine is noisy: ratios at up to 1,000 clients (where they are cheap) are repeated, push-bench and baseline alternating.
    repeats: positiveNumber(flags.repeats, 'repeats'),
    out: flags.out === FLAGS.out.default ? `results/bench-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json` : flags.out,
  };
}

interface Pair {
  pushBench: RunFigures;
  baseline: RunFigures | undefined;
}
interface Measured extends Partial<Pair> {
  transport: TransportName;
  clients: number;
  ratePerS: number;
  /** Why this size was not run (the limit check's problems). */
  skipped?: string;
  shards?: number;
  latencyRatioRange?: [number, number];
  repeats?: Pair[];
}

/** The raw loop to compare with, if any: it is one server process that broadcasts to every client. */
function baselineFor(transport: TransportName, audience: Audience, serverProcesses: number): BaselineKind | undefined {
  const kind = BASELINE_KIND[transport];
  if (!kind) return undefined;
  if (audience.kind !== 'all') {
    log(`bench:scale: no raw baseline for ${transport}: it broadcasts to every client, and --audience is ${audienceText(audience)}`);
    return undefined;
  }
  if (serverProcesses > 1) {
    log(`bench:scale: no raw baseline for ${transport}: it is one process, and this fleet needs ${serverProcesses}`);
    return undefined;
  }
  return kind;
}

/** One fleet size at one rate: push-bench, and beside it the raw loop when there is one (repeated up to 1,000 clients when `repeatable`). */
interface Load {
  clients: number;
  ratePerS: number;
  audience: Audience;
  repeatable: boolean;
}

async function measure(opts: Options, idleRss: number, transport: TransportName, { clients, ratePerS, audience, repeatable }: Load): Promise<Measured> {
  const { shards, serverProcesses, rampUpMs, check } = planFleet(clients);
  if (check.problems.length > 0) return { transport, clients, ratePerS, skipped: check.problems.map((p) => p.message).join(' ') };
  const common = {
    clients,
    shards,
    rampUpMs,
    ratePerS,
    warmupMs: opts.warmupMs,
    durationMs: opts.durationMs,
    payloadBytes: 200,
    audience,
    localAddresses: check.localAddresses,
  };
  const baselineKind = opts.baseline ? baselineFor(transport, audience, serverProcesses) : undefined;
  const repeats = repeatable && baselineKind && clients <= 1_000 ? opts.repeats : 1;
  const pairs: Pair[] = [];
  for (let i = 1; i <= repeats; i++) {
    const tag = repeats > 1 ? ` (repeat ${i} of ${repeats})` : '';
    log(`bench:scale: push-bench ${transport}, ${clients} clients, ${ratePerS} broadcast/s, ${serverProcesses} server and ${shards} client process(es)${tag}`);
    const pushBench = await runPushBench({ ...common, bench: 'scale', transport, idleServerRssBytes: idleRss });
    let baseline: RunFigures | undefined;
    if (baselineKind) {
      log(`bench:scale: baseline ${baselineKind}, ${clients} clients${tag}`);
      baseline = await runBaseline({ ...common, kind: baselineKind, drainMs: 2_000 });
    }
    pairs.push({ pushBench, baseline });
  }
  // The repeat whose latency ratio is the median stands for the others; the range is printed beside it.
  const latencyRatio = (p: Pair) => (p.baseline ? (p.pushBench.latencyMs.p50 ?? 0) / (p.baseline.latencyMs.p50 ?? 1) : 0);
  const sorted = [...pairs].sort((a, b) => latencyRatio(a) - latencyRatio(b));
  const { pushBench, baseline } = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const latencyRatioRange: [number, number] | undefined = pairs.length > 1 ? [latencyRatio(sorted[0]!), latencyRatio(sorted.at(-1)!)] : undefined;
  return { transport, clients, ratePerS, shards, pushBench, baseline, latencyRatioRange, repeats: pairs };
}

function report(opts: Options, runs: Measured[], saturation: Measured[]): string {
  const label = (r: Measured, who: string) => `${r.transport} ${r.clients.toLocaleString('en-US')} ${who}`;
  const rowsOf = (r: Measured) =>
    r.pushBench ? [scaleRow(label(r, 'push-bench'), r.pushBench), ...(r.baseline ? [scaleRow(label(r, 'baseline'), r.baseline)] : [])] : [];
  const ratiosOf = (list: Measured[], withRange: boolean) =>
    list.flatMap((r) =>
      r.pushBench && r.baseline
        ? [
            ratioRow(
              `${r.transport} ${r.clients.toLocaleString('en-US')} @ ${r.ratePerS}/s`,
              r.pushBench,
              r.baseline,
              withRange ? r.latencyRatioRange : undefined,
            ),
          ]
        : [],
    );
  const ratios = ratiosOf(runs, true);
  const satRows = saturation.flatMap(rowsOf);
  const lines = [
    `## bench:scale — ${opts.ratePerS} broadcast/s to ${audienceText(opts.audience)}, 200 B payload, ${opts.durationMs / 1_000} s window`,
    '',
    table(SCALE_HEADER, runs.flatMap(rowsOf)),
    '',
    ...(ratios.length > 0
      ? [
          '### push-bench as a ratio of the raw baseline (same N, rate, machine, run)',
          '',
          table(RATIO_HEADER, ratios),
          '',
          `Up to 1,000 clients each pair ran ${opts.repeats} times, alternating; shown is the pair with the median latency ratio, the range in brackets.`,
          '',
        ]
      : []),
    ...(satRows.length > 0
      ? [
          `### Saturation: ${opts.saturationRate} broadcasts/s offered to ${opts.saturationClients.toLocaleString('en-US')} clients`,
          '',
          table(SCALE_HEADER, satRows),
          '',
          table(RATIO_HEADER, ratiosOf(saturation, false)),
          '',
        ]
      : []),
    ...runs.filter((r) => r.skipped).map((r) => `not run: ${r.transport} with ${r.clients} clients: ${r.skipped}`),
    ...[...runs, ...saturation].flatMap((r) => (r.pushBench?.warnings ?? []).map((w) => `warning (${r.transport} ${r.clients}): ${w}`)),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = options();
  log(`bench:scale: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const idleRss = await idleServerRss();
  const runs: Measured[] = [];
  for (const clients of opts.clients) {
    for (const transport of opts.transports) {
      runs.push(await measure(opts, idleRss, transport, { clients, ratePerS: opts.ratePerS, audience: opts.audience, repeatable: true }));
    }
  }
  const saturation: Measured[] = [];
  if (opts.saturationRate > 0) {
    for (const transport of opts.transports.filter((t) => BASELINE_KIND[t])) {
      // Once: far from the machine's noise floor, and each of these runs costs a saturated minute of CPU.
      // To every client whatever --audience says: these runs exist to be compared with the raw loop, which broadcasts to all.
      const load = { clients: opts.saturationClients, ratePerS: opts.saturationRate, audience: { kind: 'all' } as const, repeatable: false };
      saturation.push(await measure(opts, idleRss, transport, load));
    }
  }
  process.stdout.write(`${report(opts, runs, saturation)}\n`);
  await mkdir('results', { recursive: true });
  await writeFile(opts.out, JSON.stringify({ options: opts, node: process.version, cores: availableParallelism(), runs, saturation }, null, 2));
  log(`bench:scale: figures written to ${opts.out}`);
}

runBench('bench:scale', FLAGS, main);
