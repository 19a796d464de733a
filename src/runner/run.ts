/**
 * A whole run of one scenario: the reference server in its own process, then each transport
 * in turn (never at once), the result written after each so that a run that dies keeps what
 * it measured.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { packageInfo } from '../tool/package-info.js';
import { ProcessWatch } from '../tool/process-usage.js';
import type { Result, SegmentPart, TransportResult, Warning } from '../report/model.js';
import type { Scenario } from '../scenario/scenario.js';
import type { TransportPlan } from '../transports/catalog.js';
import type { ServerOptionsInput } from '../server/index.js';
import type { RetentionOptions } from '../server/options.js';
import { transportModule } from '../transports/catalog.js';
import { TARGET_ADAPTERS, type TargetAdapter, type TargetOptions } from '../targets/catalog.js';
import { describeEnvironment } from './environment.js';
import { runPhase, type PhaseStatus } from './phase.js';
import { startNginx, type NginxProcess } from './nginx-process.js';
import { needsProxy, startProxies, type ProxyFleet } from './proxy-process.js';
import type { ServerProcess } from './server-process.js';
import { startServerFleet, type ServerFleet } from './server-fleet.js';
import { ShardedControl } from './sharded-control.js';
import { ControlApi } from '../targets/contract/control.js';
import { backplanePublisher } from '../server/backplane-link.js';
import type { Backplane } from '../scenario/server-field.js';
import { defaultServerProcesses } from './limits.js';
import { retentionFor } from './retention.js';
import { evaluateThresholds } from './thresholds.js';
import { generateCertificate } from '../tool/certificate.js';
import type { BrokerKind } from '../transports/module.js';
import { RunBrokers } from './run-brokers.js';
import { maxClientsPerProcess, readLimits } from './limits.js';
import { estimateClockOffset, localMonotonicAt } from './clock-offset.js';
import { segmentRange, type PhaseSegment, type SegmentSpec } from './segment.js';
import { clockWarnings } from '../report/clock-warnings.js';

/** Clients one client process holds comfortably before a second process pays off. */
const CLIENTS_PER_SHARD = 2_500;

export interface RunOptions {
  scenario: Scenario;
  /** The transports to run, already filtered by --transports. */
  transports: TransportPlan[];
  /** Client processes; default from the fleet size and the cores. */
  shards?: number;
  /** Reference server processes (--server-processes, over the scenario's server.processes); default: as the client count needs. */
  serverProcesses?: number;
  localAddresses?: string[];
  /** Run-wide warnings known before the run (e.g. from the limit check), kept in the result. */
  warnings?: Warning[];
  signal: AbortSignal;
  /** Called with the result so far after every transport (and at the end). */
  onResult: (result: Result) => Promise<void>;
  onStatus?: (status: PhaseStatus, stepChanged: boolean) => void;
  /** Told each transport's result as soon as its phase ends (before the result files are written). */
  onTransportDone?: (result: TransportResult) => void;
  /** Told at once when a child process dies under the run (the result says it again at the end). */
  onFault?: (message: string) => void;
  /** A server that is already running (--target): measured instead of a reference server of our own. */
  target?: RunTarget;
  /** The target's process (--target-pid), whose CPU and memory are read from /proc when the server cannot report them. */
  targetPid?: number;
  /** The user's own brokers (--broker), by kind; a broker transport whose kind is not here gets a broker started for the run. */
  brokers?: Partial<Record<BrokerKind, string>>;
  /** The run's id in result.json (the repeats of one run share it); a new UUID when absent. */
  runId?: string;
  /** One segment of a run over several machines (run --segment): needs `target`, the server every segment shares. */
  segment?: SegmentRun;
}

export interface SegmentRun {
  spec: SegmentSpec;
  /** The agreed start of the publish schedule, on the shared server's wall clock, ms since the epoch. */
  startAtMs: number;
  /** The run's id, the same in every segment (merge refuses parts of different runs). */
  runId: string;
}

interface RunTarget {
  /** Base URL, http(s), without the adapter's prefix. */
  url: string;
  /** What the server speaks: the wire contract, or an adapter's translation. */
  adapter: TargetAdapter;
  options?: TargetOptions;
}

export interface RunOutcome {
  result: Result;
  interrupted: boolean;
  /** Set when a transport's phase failed outright (e.g. the server died). */
  error?: Error;
}

/**
 * Client processes for a fleet: one per 2,500 clients up to one per core, and in any case enough
 * that none holds more sockets than a process may open (`perProcess`): 100,000 clients need more
 * processes than this machine has cores.
 */
export function defaultShards(clients: number, perProcess: number = maxClientsPerProcess(readLimits())): number {
  const byCores = Math.min(availableParallelism(), Math.ceil(clients / CLIENTS_PER_SHARD));
  const byFiles = Math.ceil(clients / Math.max(1, perProcess));
  return Math.max(1, byCores, byFiles);
}

export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const { scenario, signal } = options;
  // A secure transport (sse-h2) needs the reference server's TLS listener, with a certificate made for this run.
  const secure = options.transports.some((plan) => transportModule(plan.name).server?.secure);
  if (secure && options.target !== undefined)
    throw new Error('a secure transport (sse-h2) runs against the reference server only: leave it out with --transports');
  const certificate = secure ? await generateCertificate({ hosts: ['127.0.0.1'], days: 1 }) : undefined;
  const layout = serverLayoutOf(scenario, options.serverProcesses);
  // One value for the server started and for the result that says what it kept.
  const retention = retentionFor(scenario);
  const sharded = layout.processes > 1 || layout.backplane !== 'direct';
  if (sharded && (options.target !== undefined || secure))
    throw new Error(
      `${layout.processes} server processes (backplane ${layout.backplane}) cannot serve ${options.target ? 'a --target' : 'a secure transport (sse-h2)'}`,
    );
  const fleet =
    options.target === undefined
      ? await startServerFleet(
          { ...serverOptionsFor(scenario, retention), ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}) },
          layout.processes,
          layout.backplane,
        )
      : undefined;
  const server: Pick<ServerProcess, 'url' | 'secureUrl' | 'died' | 'stop'> = fleet
    ? { url: fleet.urls[0]!, ...(fleet.secureUrl ? { secureUrl: fleet.secureUrl } : {}), died: fleet.died, stop: () => fleet.stop() }
    : runningServer(options.target!.url);
  const tls = certificate && server.secureUrl ? { baseUrl: server.secureUrl, ca: certificate.ca } : undefined;
  const adapter = options.target?.adapter ?? TARGET_ADAPTERS[0]!;
  // A segment's machine holds its own clients only.
  const shards = options.shards ?? defaultShards(options.segment ? segmentRange(options.segment.spec, scenario.clients.count).count : scenario.clients.count);
  let proxies: ProxyFleet | undefined;
  let nginx: NginxProcess | undefined;
  const brokers = new RunBrokers(options.brokers ?? {});
  let shardedApi: ShardedControl | undefined;
  try {
    // Connected to every process (and the backplane) before anything else starts: a failure here stops the fleet below.
    if (fleet && sharded) shardedApi = await shardedControl(fleet);
    await brokers.start(options.transports);
    // A real nginx sits right in front of the server; a shaped link, if any, leads to it.
    if (scenario.intermediary?.kind === 'nginx')
      nginx = await startNginx({
        upstreamPort: Number(new URL(server.url).port),
        readTimeoutMs: scenario.intermediary.readTimeoutMs,
        clients: scenario.clients.count,
      });
    // One proxy per client process (proxy-process.ts says why), for the whole run like the server.
    if (needsProxy(scenario))
      proxies = await startProxies({
        targetUrl: nginx?.url ?? server.url,
        network: scenario.network,
        intermediary: scenario.intermediary,
        seed: scenario.seed,
        count: shards,
      });
  } catch (error) {
    await shardedApi?.close().catch(() => undefined);
    await brokers.stop();
    await nginx?.stop();
    await server.stop();
    throw error;
  }
  // A dead proxy or nginx stops the phase as a dead server does: what was measured until then is kept.
  const died = AbortSignal.any([server.died, ...(proxies ? [proxies.died] : []), ...(nginx ? [nginx.died] : []), ...brokers.died()]);
  const clientUrls = proxies?.urls ?? (nginx ? [nginx.url] : undefined);
  const serverWatch = options.targetPid === undefined ? undefined : new ProcessWatch(options.targetPid);
  const api = shardedApi ?? adapter.control(server.url, { ...options.target?.options, foreign: options.target !== undefined });
  const result: Result = {
    schemaVersion: 1,
    runId: options.runId ?? randomUUID(),
    tool: { name: packageInfo.name, version: packageInfo.version },
    scenario: scenarioAsRun(scenario, options.transports),
    environment: describeEnvironment(),
    target: {
      url: `${adapter.prefix}${server.url}`,
      started: options.target === undefined,
      adapter: adapter.name,
      ...(fleet && sharded ? { processes: fleet.urls.length, backplane: layout.backplane } : {}),
      ...(fleet ? { retention } : {}),
    },
    ...(brokers.described.length > 0 ? { brokers: brokers.described } : {}),
    startedAt: new Date().toISOString(),
    transports: [],
    thresholds: [],
    warnings: [...(options.warnings ?? [])],
  };
  const segment = options.segment ? await startSegment(options.segment, scenario, server.url, signal) : undefined;
  if (segment) {
    result.segment = segment.part;
    result.runId = options.segment!.runId;
    result.warnings.push(...segment.warnings);
  }
  const outcome: RunOutcome = { result, interrupted: false };
  died.addEventListener('abort', () => options.onFault?.(`${(died.reason as Error).message}; stopping the phase and keeping what it measured.`), {
    once: true,
  });
  try {
    for (const plan of options.transports) {
      if (signal.aborted) break;
      if (died.aborted) throw died.reason as Error;
      const broker = brokers.of(plan);
      const transportResult: TransportResult = await runPhase({
        api: broker?.control ?? api,
        scenario,
        plan,
        shards,
        localAddresses: options.localAddresses ?? [],
        signal,
        serverDied: died,
        ...(proxies ? { proxies } : {}),
        ...(nginx ? { nginx } : {}),
        ...(clientUrls ? { clientUrls } : {}),
        ...(fleet && fleet.urls.length > 1 ? { serverUrls: fleet.urls } : {}),
        ...(fleet?.backplane ? { backplane: { kind: fleet.backplane.spec.kind, watch: fleet.backplane.process.watch } } : {}),
        ...(broker ? (broker.watch ? { serverWatch: broker.watch } : {}) : serverWatch ? { serverWatch } : {}),
        ...(tls ? { tls } : {}),
        ...(options.onStatus ? { onStatus: options.onStatus } : {}),
        ...(options.onFault ? { onFault: options.onFault } : {}),
        ...(segment ? { segment: segment.phase } : {}),
      });
      result.transports.push(transportResult);
      if (segment) result.warnings.push(...clockWarnings(segment.part.clock, [transportResult], `segment ${segment.part.index}/${segment.part.count}`));
      options.onTransportDone?.(transportResult);
      result.thresholds = evaluateThresholds(result, scenario.thresholds);
      await options.onResult(result);
    }
    // A server (or proxy) that died in the last phase ends the run as failed too.
    if (died.aborted) throw died.reason as Error;
  } catch (error) {
    if (signal.aborted) outcome.interrupted = true;
    else outcome.error = error as Error;
  } finally {
    outcome.interrupted ||= signal.aborted;
    await api.close().catch(() => undefined);
    await brokers.stop();
    await proxies?.stop();
    await nginx?.stop();
    await server.stop();
  }
  if (outcome.interrupted) {
    result.warnings.push({
      code: 'interrupted',
      message: `the run was interrupted; ${result.transports.length} of ${options.transports.length} transports finished and are kept.`,
    });
  } else if (outcome.error) {
    result.warnings.push({ code: 'run-failed', message: `the run failed: ${outcome.error.message}` });
  } else {
    result.finishedAt = new Date().toISOString();
  }
  try {
    await options.onResult(result);
  } catch (error) {
    // The run itself is over; a result that cannot be written fails it, with the reason.
    outcome.error ??= error as Error;
  }
  return outcome;
}

/** Measures the clock against the shared server and places this segment in the run. */
async function startSegment(run: SegmentRun, scenario: Scenario, serverUrl: string, signal: AbortSignal) {
  const estimate = await estimateClockOffset(serverUrl, { signal });
  const range = segmentRange(run.spec, scenario.clients.count);
  const startNs = localMonotonicAt(run.startAtMs, estimate, { monoNs: process.hrtime.bigint(), wallMs: Date.now() });
  const part: SegmentPart = {
    index: run.spec.index,
    count: run.spec.count,
    firstClient: range.first,
    clients: range.count,
    fleetClients: scenario.clients.count,
    startAt: new Date(run.startAtMs).toISOString(),
    clock: {
      reference: `${serverUrl}/clock`,
      offsetMs: estimate ? Number(estimate.offsetNs) / 1e6 : null,
      uncertaintyMs: estimate ? Number(estimate.uncertaintyNs) / 1e6 : null,
      samples: estimate?.samples ?? 0,
    },
    transports: [],
  };
  const phase: PhaseSegment = {
    range,
    fleetClients: scenario.clients.count,
    startNs,
    serverOffsetNs: estimate?.offsetNs ?? 0n,
    record: (measurements) => part.transports.push(measurements),
  };
  const warnings: Warning[] = estimate
    ? []
    : [
        {
          code: 'clock-unaligned',
          message: `the shared server has no GET /clock: this segment started on its own wall clock, and its publish lag is on the server's clock; run the segments against push-bench serve, or keep the machines' clocks in sync (NTP).`,
        },
      ];
  return { part, phase, warnings };
}

/** Processes and backplane of the reference server: the command line over the scenario, else as many processes as the client count needs. */
export function serverLayoutOf(scenario: Scenario, processes: number | undefined): { processes: number; backplane: Backplane } {
  return {
    processes: processes ?? scenario.server?.processes ?? defaultServerProcesses(scenario.clients.count),
    backplane: scenario.server?.backplane ?? 'direct',
  };
}

/** One control over every process of a sharded reference server, publishing through its backplane when it has one. */
async function shardedControl(fleet: ServerFleet): Promise<ShardedControl> {
  const controls = fleet.urls.map((url) => new ControlApi(url));
  const publisher = fleet.backplane ? await backplanePublisher(fleet.backplane.spec) : undefined;
  return new ShardedControl(controls, publisher);
}

/**
 * A server someone else runs (--target): nothing to start or stop, and its death shows as failed
 * requests and publishes, not as a process exit push-bench could see.
 */
function runningServer(url: string): Pick<ServerProcess, 'url' | 'died' | 'stop'> {
  return { url: url.replace(/\/+$/, ''), died: new AbortController().signal, stop: () => Promise.resolve() };
}

/** The reference server's settings that the scenario decides; the rest are the documented defaults. */
function serverOptionsFor(scenario: Scenario, retention: RetentionOptions): ServerOptionsInput {
  const transports = Object.fromEntries(
    scenario.transports.flatMap((plan) => {
      const server = transportModule(plan.name).server;
      return server ? [[plan.name, server.fromSettings(plan.settings)]] : [];
    }),
  );
  return { host: '127.0.0.1', port: 0, retention, transports };
}

/**
 * The scenario as run, in result.json: base units, thresholds as written. Conditions left unset
 * are left out, so a loopback run's scenario reads (and compares) as one written before they existed.
 */
function scenarioAsRun(scenario: Scenario, transports: TransportPlan[]): Record<string, unknown> {
  // The server measured is the result's own `target` (--target may override the scenario's): not part of the workload.
  const { network, intermediary, chat, target: _target, ...rest } = scenario;
  return {
    ...rest,
    ...(chat ? { chat } : {}),
    ...(network ? { network } : {}),
    ...(intermediary ? { intermediary } : {}),
    transports,
    thresholds: scenario.thresholds.map((t) => t.expr),
  };
}
