/** One push-bench run of one transport, driven through the runner's API, as `push-bench run` does. */
import type { TransportResult, Warning } from '../../src/report/model.js';
import { ControlApi } from '../../src/targets/contract/control.js';
import { defaultShards, runScenario, type RunOptions } from '../../src/runner/run.js';
import { defaultServerProcesses, formatLimitCheck } from '../../src/runner/limits.js';
import { preflight, type Preflight } from '../../src/runner/preflight.js';
import { startServerProcess } from '../../src/runner/server-process.js';
import type { Audience, Scenario } from '../../src/scenario/scenario.js';
import { transportModule, type TransportName, type TransportPlan } from '../../src/transports/catalog.js';
import type { RunFigures } from './figures.js';
import { log } from './run-bench.js';

/** A transport with the settings a scenario that names it with `{}` gets: its module's defaults. */
function defaultPlan(name: TransportName): TransportPlan {
  // The name and its settings come from the same module, which is what TransportPlan says.
  const settings: unknown = transportModule(name).settings.parse({});
  return { name, settings } as TransportPlan;
}

/** Connect ramp: 2,500 connections a second at most (limits.ts), never under a second. */
const rampFor = (clients: number): number => Math.max(1_000, Math.ceil(clients / 2_500) * 1_000);

/** A fleet of `clients` laid out as `push-bench run` lays it out by default, and the preflight's check of it (its findings logged). */
export function planFleet(clients: number): { shards: number; serverProcesses: number; rampUpMs: number; check: Preflight } {
  const shards = defaultShards(clients);
  const serverProcesses = defaultServerProcesses(clients);
  const rampUpMs = rampFor(clients);
  const check = preflight({ clients, clientProcesses: shards, serverProcesses, rampUpMs, transports: 1 });
  for (const line of formatLimitCheck(check)) log(line);
  return { shards, serverProcesses, rampUpMs, check };
}

/** Broadcasts at a fixed rate (to every client, or to `audience`), as bench:scale and bench:soak run them. */
export interface BroadcastRunOptions {
  /** The bench's name, in the scenario's name and description (e.g. `scale`). */
  bench: string;
  transport: TransportName;
  clients: number;
  shards?: number;
  rampUpMs: number;
  ratePerS: number;
  warmupMs: number;
  durationMs: number;
  payloadBytes: number;
  /** Who receives each broadcast; absent: every client. */
  audience?: Audience;
  localAddresses: string[];
}

export interface ScaleRunOptions extends BroadcastRunOptions {
  /** RSS of a reference server with no client (idleServerRss), subtracted before dividing by connections. */
  idleServerRssBytes: number;
}

function broadcastScenario({ bench, transport, clients, rampUpMs, ratePerS, warmupMs, durationMs, payloadBytes, audience }: BroadcastRunOptions): Scenario {
  return {
    name: `${bench}-${transport}-${clients}`,
    description: `bench:${bench}: broadcasts at a fixed rate, each to every client or to a share of them`,
    seed: 1,
    durationMs,
    warmupMs,
    drainMs: null,
    clients: { count: clients, rampUpMs },
    events: { arrival: { kind: 'uniform', ratePerSecond: ratePerS }, payloadBytes, audience: audience ?? { kind: 'all' } },
    chat: null,
    network: null,
    intermediary: null,
    target: null,
    transports: [defaultPlan(transport)],
    thresholds: [],
    sweep: null,
  };
}

/** What a bench may watch while the run goes on: the phase's steps and progress, faults as they happen. */
export type RunHooks = Pick<RunOptions, 'onStatus' | 'onFault'>;

/** Runs the transport through `runScenario`, as `push-bench run` does, and returns its result. */
export async function runBroadcast(options: BroadcastRunOptions, hooks: RunHooks = {}): Promise<TransportResult> {
  const scenario = broadcastScenario(options);
  const outcome = await runScenario({
    scenario,
    transports: scenario.transports,
    shards: options.shards ?? defaultShards(options.clients),
    localAddresses: options.localAddresses,
    signal: new AbortController().signal,
    onResult: () => Promise.resolve(),
    ...hooks,
  });
  if (outcome.error) throw outcome.error;
  const t = outcome.result.transports[0];
  if (!t) throw new Error('push-bench produced no result');
  return t;
}

/** A log line at each step of the phase and every 15 s within one, so a long run can be followed. */
function stepLogger(label: string): RunHooks {
  let lastMs = 0;
  return {
    onStatus: (status, stepChanged) => {
      const now = performance.now();
      if (!stepChanged && now - lastMs < 15_000) return;
      lastMs = now;
      const elapsedS = Math.round((now - status.phaseStartedMs) / 1_000);
      log(
        `${label}: ${status.step} at ${elapsedS} s: ${status.connected.toLocaleString('en-US')} connected, ${status.delivered.toLocaleString('en-US')} delivered`,
      );
    },
  };
}

export async function runPushBench(options: ScaleRunOptions): Promise<RunFigures> {
  const t = await runBroadcast(options, stepLogger(`bench:${options.bench} ${options.transport}`));
  return {
    clients: options.clients - notConnected(t.warnings),
    expected: t.events.expected,
    delivered: t.events.delivered,
    durationMs: t.durationMs,
    latencyMs: t.latencyMs,
    connectMs: t.connectMs,
    publishLagMs: t.publishLagMs,
    server: { ...t.server, idleRssBytes: options.idleServerRssBytes, processes: t.server.processes ?? 1 },
    client: t.client,
    warnings: t.warnings.map((w) => w.message),
  };
}

/** RSS of a fresh reference server with no client: subtracted before dividing by connections. */
export async function idleServerRss(): Promise<number> {
  const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
  const api = new ControlApi(server.url);
  try {
    const stats = await api.stats();
    if (!stats) throw new Error('the reference server has no /stats');
    return stats.memory.rssBytes;
  } finally {
    await api.close();
    await server.stop();
  }
}

/** Clients that never connected, from the phase's `clients-not-connected` warning (0 without one). */
export function notConnected(warnings: Warning[]): number {
  const warning = warnings.find((w) => w.code === 'clients-not-connected');
  return warning ? Number(/^(\d+)/.exec(warning.message)?.[1] ?? 0) : 0;
}
