/**
 * One run of the raw baseline (bench/baseline/): its server, its client processes, the same
 * phase shape as push-bench (ramp, warm-up, measured window by intended time, drain).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../../dist/metrics/histogram.js';
import { ask, forkTracked, stopProcess, waitFor } from './processes.mjs';

const SERVER = new URL('../baseline/server.mjs', import.meta.url);
const CLIENTS = new URL('../baseline/clients.mjs', import.meta.url);
const ms = (n) => BigInt(Math.round(n * 1e6));

/** @returns {Promise<import('./figures.mjs').RunFigures>} */
export async function runBaseline({ kind, clients, shards, rampUpMs, ratePerS, warmupMs, durationMs, drainMs, payloadBytes, localAddresses }) {
  const server = forkTracked(SERVER, [kind]);
  const children = [];
  try {
    const ready = await waitFor(server, 'ready', 15_000);
    const perShard = Math.ceil(clients / shards);
    const rampStartNs = process.hrtime.bigint() + ms(300);
    const plan = [];
    for (let first = 0; first < clients; first += perShard) plan.push({ first, count: Math.min(perShard, clients - first) });
    const connectReplies = await Promise.all(plan.map(({ first, count }) => {
      const child = forkTracked(CLIENTS);
      children.push(child);
      return ask(child, { type: 'start', kind, port: ready.port, first, count, fleetSize: clients, rampStartNs: String(rampStartNs), rampUpMs, localAddresses }, 'connected');
    }));
    const connected = connectReplies.reduce((sum, r) => sum + r.connected, 0);
    // As in push-bench: the schedule starts once every client is connected, then warm-up, then the window.
    const startNs = process.hrtime.bigint() + ms(200);
    const windowStartNs = startNs + ms(warmupMs);
    const windowEndNs = windowStartNs + ms(durationMs);
    await Promise.all(children.map((c) => ask(c, { type: 'window', windowStartNs: String(windowStartNs), windowEndNs: String(windowEndNs) }, 'window-set')));
    server.send({ type: 'broadcast', startNs: String(startNs), ratePerS, untilNs: String(windowEndNs), payloadBytes });
    await sleepUntil(windowStartNs);
    await Promise.all([ask(server, { type: 'mark' }, 'marked'), ...children.map((c) => ask(c, { type: 'mark' }, 'marked'))]);
    await sleepUntil(windowEndNs);
    const [serverUsage] = await Promise.all([ask(server, { type: 'usage' }, 'usage'), ...children.map((c) => ask(c, { type: 'end' }, 'marked'))]);
    await sleep(drainMs);
    const reports = await Promise.all(children.map((c) => ask(c, { type: 'stop' }, 'report')));
    const latency = new LatencyHistogram();
    for (const r of reports) latency.addEncoded(r.latency);
    const delivered = reports.reduce((sum, r) => sum + r.delivered, 0);
    const published = countBroadcasts(startNs, windowStartNs, windowEndNs, ratePerS);
    return {
      clients: connected,
      expected: published * connected,
      delivered,
      durationMs,
      latencyMs: latency.summary(),
      server: { cpuMs: serverUsage.cpuMs, rssPeakBytes: serverUsage.rssPeakBytes, idleRssBytes: ready.idleRssBytes, elu: serverUsage.elu },
      client: { cpuMs: reports.reduce((s, r) => s + r.cpuMs, 0), elu: Math.max(...reports.map((r) => r.elu)), processes: reports.length },
    };
  } finally {
    await Promise.all([server, ...children].map((c) => stopProcess(c)));
  }
}

/** Broadcasts the server's uniform schedule puts in the window (its first is half a gap in). */
function countBroadcasts(startNs, windowStartNs, windowEndNs, ratePerS) {
  const gapNs = BigInt(Math.round(1e9 / ratePerS));
  let count = 0;
  for (let t = startNs + gapNs / 2n; t < windowEndNs; t += gapNs) if (t >= windowStartNs) count++;
  return count;
}

async function sleepUntil(ns) {
  const waitMs = Number(ns - process.hrtime.bigint()) / 1e6;
  if (waitMs > 0) await sleep(waitMs);
}
