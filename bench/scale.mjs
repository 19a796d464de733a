/**
 * npm run bench:scale [-- --clients 1000,10000,20000 --transports sse,websocket --rate 1 --duration 10]
 *
 * Per transport and fleet size: clients held, events delivered per second, latency p50/p99,
 * server RSS per connection, server and client CPU. For SSE and WebSocket the raw baseline
 * (bench/baseline/: plain ws and node:http broadcast loops) runs with the same N, rate and
 * machine in the same run, and push-bench's figures are printed as ratios to it; then both
 * are driven past saturation at 1,000 clients to compare delivered events per second.
 * Every run is bounded in time; every process is stopped by PID.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { defaultShards } from '../dist/runner/run.js';
import { formatLimitCheck } from '../dist/runner/limits.js';
import { preflight } from '../dist/runner/preflight.js';
import { numberList, parseFlags, positiveNumber } from './lib/args.mjs';
import { runBaseline } from './lib/baseline-run.mjs';
import { RATIO_HEADER, SCALE_HEADER, ratioRow, scaleRow, table } from './lib/figures.mjs';
import { stopAll } from './lib/processes.mjs';
import { idleServerRss, runPushBench } from './lib/push-bench-run.mjs';

const TRANSPORTS = ['websocket', 'sse', 'long-polling', 'polling'];
const BASELINE_KIND = { websocket: 'ws', sse: 'sse' };
const FLAGS = ['clients', 'transports', 'rate', 'duration', 'warmup', 'saturation-rate', 'saturation-clients', 'baseline', 'repeats', 'out'];

const log = (line) => process.stderr.write(`${line}\n`);

function options() {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  const transports = (flags.transports ?? TRANSPORTS.join(',')).split(',').map((t) => t.trim());
  const unknown = transports.filter((t) => !TRANSPORTS.includes(t));
  if (unknown.length > 0) throw new Error(`--transports: unknown ${unknown.join(', ')}; use ${TRANSPORTS.join(', ')}`);
  return {
    clients: numberList(flags.clients ?? '1000,10000', 'clients'),
    transports,
    ratePerS: positiveNumber(flags.rate ?? '1', 'rate'),
    durationMs: positiveNumber(flags.duration ?? '10', 'duration') * 1_000,
    warmupMs: positiveNumber(flags.warmup ?? '2', 'warmup') * 1_000,
    saturationRate: Number(flags['saturation-rate'] ?? '200'),
    saturationClients: Number(flags['saturation-clients'] ?? '1000'),
    baseline: (flags.baseline ?? 'on') !== 'off',
    // The machine is noisy: ratios at up to 1,000 clients (where they are cheap) are repeated, push-bench and baseline alternating.
    repeats: positiveNumber(flags.repeats ?? '3', 'repeats'),
    out: flags.out ?? `results/bench-scale-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  };
}

/** Connect ramp: 2,500 connections a second at most (limits.ts), never under a second. */
const rampFor = (clients) => Math.max(1_000, Math.ceil(clients / 2_500) * 1_000);

async function measure(opts, idleRss, transport, clients, ratePerS, repeatable = true) {
  const shards = defaultShards(clients);
  const check = preflight({ clients, clientProcesses: shards, rampUpMs: rampFor(clients), transports: 1 });
  for (const line of formatLimitCheck(check)) log(line);
  if (check.problems.length > 0) return { transport, clients, ratePerS, skipped: check.problems.map((p) => p.message).join(' ') };
  const common = { clients, shards, rampUpMs: rampFor(clients), ratePerS, warmupMs: opts.warmupMs, durationMs: opts.durationMs, payloadBytes: 200, localAddresses: check.localAddresses };
  const repeats = repeatable && opts.baseline && BASELINE_KIND[transport] && clients <= 1_000 ? opts.repeats : 1;
  const pairs = [];
  for (let i = 1; i <= repeats; i++) {
    const tag = repeats > 1 ? ` (repeat ${i} of ${repeats})` : '';
    log(`bench:scale: push-bench ${transport}, ${clients} clients, ${ratePerS} broadcast/s, ${shards} client process(es)${tag}`);
    const pushBench = await runPushBench({ ...common, transport, idleServerRssBytes: idleRss });
    let baseline;
    if (opts.baseline && BASELINE_KIND[transport]) {
      log(`bench:scale: baseline ${BASELINE_KIND[transport]}, ${clients} clients${tag}`);
      baseline = await runBaseline({ ...common, kind: BASELINE_KIND[transport], drainMs: 2_000 });
    }
    pairs.push({ pushBench, baseline });
  }
  // The repeat whose latency ratio is the median stands for the others; the range is printed beside it.
  const latencyRatio = (p) => (p.baseline ? (p.pushBench.latencyMs.p50 ?? 0) / (p.baseline.latencyMs.p50 ?? 1) : 0);
  const sorted = [...pairs].sort((a, b) => latencyRatio(a) - latencyRatio(b));
  const { pushBench, baseline } = sorted[Math.floor((sorted.length - 1) / 2)];
  const latencyRatioRange = pairs.length > 1 ? [latencyRatio(sorted[0]), latencyRatio(sorted.at(-1))] : undefined;
  return { transport, clients, ratePerS, shards, pushBench, baseline, latencyRatioRange, repeats: pairs };
}

function report(opts, runs, saturation) {
  const label = (r, who) => `${r.transport} ${r.clients.toLocaleString('en-US')} ${who}`;
  const rows = [];
  for (const r of runs) {
    if (r.skipped) continue;
    rows.push(scaleRow(label(r, 'push-bench'), r.pushBench));
    if (r.baseline) rows.push(scaleRow(label(r, 'baseline'), r.baseline));
  }
  const ratios = runs.filter((r) => r.baseline).map((r) => ratioRow(`${r.transport} ${r.clients.toLocaleString('en-US')} @ ${r.ratePerS}/s`, r.pushBench, r.baseline, r.latencyRatioRange));
  const satRows = saturation.flatMap((r) => (r.skipped ? [] : [scaleRow(label(r, 'push-bench'), r.pushBench), ...(r.baseline ? [scaleRow(label(r, 'baseline'), r.baseline)] : [])]));
  const satRatios = saturation.filter((r) => r.baseline).map((r) => ratioRow(`${r.transport} ${r.clients.toLocaleString('en-US')} @ ${r.ratePerS}/s`, r.pushBench, r.baseline));
  const lines = [
    `## bench:scale — ${opts.ratePerS} broadcast/s to every client, 200 B payload, ${opts.durationMs / 1_000} s window`,
    '',
    table(SCALE_HEADER, rows),
    '',
    ...(ratios.length > 0 ? ['### push-bench as a ratio of the raw baseline (same N, rate, machine, run)', '', table(RATIO_HEADER, ratios), '', `Up to 1,000 clients each pair ran ${opts.repeats} times, alternating; shown is the pair with the median latency ratio, the range in brackets.`, ''] : []),
    ...(satRows.length > 0 ? [`### Saturation: ${opts.saturationRate} broadcasts/s offered to ${opts.saturationClients.toLocaleString('en-US')} clients`, '', table(SCALE_HEADER, satRows), '', table(RATIO_HEADER, satRatios), ''] : []),
    ...runs.filter((r) => r.skipped).map((r) => `not run: ${r.transport} with ${r.clients} clients: ${r.skipped}`),
    ...[...runs, ...saturation].flatMap((r) => (r.pushBench?.warnings ?? []).map((w) => `warning (${r.transport} ${r.clients}): ${w}`)),
  ];
  return lines.join('\n');
}

async function main() {
  const opts = options();
  log(`bench:scale: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  const idleRss = await idleServerRss();
  const runs = [];
  for (const clients of opts.clients) {
    for (const transport of opts.transports) runs.push(await measure(opts, idleRss, transport, clients, opts.ratePerS));
  }
  const saturation = [];
  if (opts.saturationRate > 0) {
    for (const transport of opts.transports.filter((t) => BASELINE_KIND[t])) {
      // Once: far from the machine's noise floor, and each of these runs costs a saturated minute of CPU.
      saturation.push(await measure(opts, idleRss, transport, opts.saturationClients, opts.saturationRate, false));
    }
  }
  const text = report(opts, runs, saturation);
  process.stdout.write(`${text}\n`);
  await mkdir('results', { recursive: true });
  await writeFile(opts.out, JSON.stringify({ options: opts, node: process.version, cores: availableParallelism(), runs, saturation }, null, 2));
  log(`bench:scale: figures written to ${opts.out}`);
}

main().then(
  () => stopAll(),
  async (error) => {
    log(`bench:scale: ${error.message}`);
    await stopAll();
    process.exitCode = 1;
  },
);
