/**
 * One run of the raw baseline (bench/baseline/): its server, its client processes, the same
 * phase shape as push-bench (ramp, warm-up, measured window by intended time, drain).
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { forkChild, stopChild } from '../../src/runner/child-process.js';
import type { BaselineKind, ClientsConnected, ClientsReport, ServerReady, ServerUsage } from '../baseline/messages.js';
import type { RunFigures } from './figures.js';
import { ask } from './ipc.js';

const SERVER = new URL('../baseline/server.js', import.meta.url);
const CLIENTS = new URL('../baseline/clients.js', import.meta.url);
const ms = (n: number): bigint => BigInt(Math.round(n * 1e6));

export interface BaselineOptions {
  kind: BaselineKind;
  clients: number;
  shards: number;
  rampUpMs: number;
  ratePerS: number;
  warmupMs: number;
  durationMs: number;
  drainMs: number;
  payloadBytes: number;
  localAddresses: string[];
}

export async function runBaseline({
  kind,
  clients,
  shards,
  rampUpMs,
  ratePerS,
  warmupMs,
  durationMs,
  drainMs,
  payloadBytes,
  localAddresses,
}: BaselineOptions): Promise<RunFigures> {
  const server = forkChild(SERVER, [kind], { output: 'inherit' });
  const children: ChildProcess[] = [];
  try {
    const ready = await ask<ServerReady>(server, undefined, 'ready', 15_000);
    const perShard = Math.ceil(clients / shards);
    const rampStartNs = process.hrtime.bigint() + ms(300);
    const plan: Array<{ first: number; count: number }> = [];
    for (let first = 0; first < clients; first += perShard) plan.push({ first, count: Math.min(perShard, clients - first) });
    const connectReplies = await Promise.all(
      plan.map(({ first, count }) => {
        const child = forkChild(CLIENTS, [], { output: 'inherit' });
        children.push(child);
        return ask<ClientsConnected>(
          child,
          {
            type: 'start',
            kind,
            port: ready.port,
            first,
            count,
            fleetSize: clients,
            rampStartNs: String(rampStartNs),
            rampUpMs,
            localAddresses,
            ...(ready.ca ? { ca: ready.ca } : {}),
          },
          'connected',
        );
      }),
    );
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
    const [serverUsage] = await Promise.all([ask<ServerUsage>(server, { type: 'usage' }, 'usage'), ...children.map((c) => ask(c, { type: 'end' }, 'marked'))]);
    await sleep(drainMs);
    const reports = await Promise.all(children.map((c) => ask<ClientsReport>(c, { type: 'stop' }, 'report')));
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
    await Promise.all([server, ...children].map((c) => stopChild(c)));
  }
}

/** Broadcasts the server's uniform schedule puts in the window (its first is half a gap in). */
function countBroadcasts(startNs: bigint, windowStartNs: bigint, windowEndNs: bigint, ratePerS: number): number {
  const gapNs = BigInt(Math.round(1e9 / ratePerS));
  let count = 0;
  for (let t = startNs + gapNs / 2n; t < windowEndNs; t += gapNs) if (t >= windowStartNs) count++;
  return count;
}

async function sleepUntil(ns: bigint): Promise<void> {
  const waitMs = Number(ns - process.hrtime.bigint()) / 1e6;
  if (waitMs > 0) await sleep(waitMs);
}
