/**
 * One transport's phase: connect (paced) → warm-up → measured window →
 * drain → disconnect. Only events intended inside the window count, and only the requests,
 * bytes and CPU spent inside it.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../metrics/histogram.js';
import type { StatsSnapshot } from '../server/index.js';
import type { ChannelFigures } from '../server/stats.js';
import { buildTransportResult, type ServerHeartbeatCloses, type SlowClientMeasurements } from '../report/transport-result.js';
import type { SegmentTransport, TransportResult, Warning } from '../report/model.js';
import { slowClientCount, workloadOf, type Scenario } from '../scenario/scenario.js';
import type { TransportPlan } from '../transports/catalog.js';
import { runName, transportModule } from '../transports/catalog.js';
import type { AnyTransportModule } from '../transports/module.js';
import { clientId } from './client-ids.js';
import { ClientFleet, type FleetReport } from './client-fleet.js';
import type { TargetControl } from '../targets/control.js';
import { ProcessDied, unlessAborted } from './faults.js';
import type { ProcessWatch } from '../tool/process-usage.js';
import type { NginxProcess } from './nginx-process.js';
import { ProxyDied, type ProxyFleet } from './proxy-process.js';
import { emptyPublishOutcome, runPublisher, tallySchedule, withClientSends, type PublishOutcome } from './publisher.js';
import { roomMembers, roomName } from '../scenario/chat-field.js';
import { withOfflineTime } from '../metrics/model.js';
import { emptyOfflineSnapshot } from '../metrics/offline.js';
import { OfflineBook } from './offline-schedule.js';
import { publishSchedule } from './schedule.js';
import { slowClientSet } from './slow-clients.js';
import { segmentSchedule, type PhaseSegment } from './segment.js';
import { HeldSampler } from './held-sampler.js';
import { ServerSampler } from './server-sampler.js';
import { assembleSeries, phaseSpans, type PhaseName, type TransportSeries } from '../metrics/series.js';
import { drainMsOf, plannedPhase, SCHEDULE_LEAD_MS, type PhaseStep } from '../scenario/timeline.js';

/** Where a phase is, for progress output. Times are performance.now() milliseconds. */
export interface PhaseStatus {
  /** The run's name (runName): the transport's, or `name/label`. */
  transport: string;
  step: PhaseStep;
  /** What the step is doing, e.g. "500 clients over 2000 ms". */
  detail: string;
  phaseStartedMs: number;
  /** Planned length of the whole phase (scenario/timeline.ts), ms. */
  phasePlannedMs: number;
  /** When the current step began (performance.now() ms). */
  stepStartedMs: number;
  clients: number;
  /** Clients connected so far. Count. */
  connected: number;
  /** Unique in-window deliveries so far. Count. */
  delivered: number;
}

/** How often a running phase reports its status. */
const STATUS_INTERVAL_MS = 250;

export interface PhaseContext {
  api: TargetControl;
  scenario: Scenario;
  plan: TransportPlan;
  shards: number;
  localAddresses: string[];
  signal: AbortSignal;
  /** Aborted (with a ProcessDied reason) when the reference server (or a shaping proxy) dies: the phase stops at once and keeps what it measured. */
  serverDied?: AbortSignal;
  /** The shaping proxies the clients connect through (scenario network / intermediary); none on a plain loopback run. */
  proxies?: ProxyFleet;
  /** The Redis or NATS server between the server processes (server.backplane), watched over the window. */
  backplane?: { kind: 'redis' | 'nats'; watch: Pick<ProcessWatch, 'mark'> };
  /** A real nginx in front of the server (intermediary: nginx), measured over the window. */
  nginx?: Pick<NginxProcess, 'mark'>;
  /** Where the clients connect instead of the server: client process k uses clientUrls[k % length] (proxies, or nginx). */
  clientUrls?: readonly string[];
  /** A sharded reference server's processes: each client connects to the one that holds it (client-ids.ts, serverProcessOf). */
  serverUrls?: readonly string[];
  /** The reference server's TLS listener and the run's CA, for a secure transport's clients. */
  tls?: { baseUrl: string; ca: string };
  /** The target server's process, watched from outside (--target-pid): its CPU and peak RSS replace what /stats says, or says not. */
  serverWatch?: Pick<ProcessWatch, 'mark'>;
  /** Called when the phase moves on to a step, and every STATUS_INTERVAL_MS while it runs. */
  onStatus?: (status: PhaseStatus, stepChanged: boolean) => void;
  /** Told at once when a client process dies or goes silent. */
  onFault?: (message: string) => void;
  /** One segment of a run over several machines: its own clients only, on a shared server others use too. */
  segment?: PhaseSegment;
}

export async function runPhase(ctx: PhaseContext): Promise<TransportResult> {
  const { api, scenario, plan, signal } = ctx;
  // Stops every wait: Ctrl-C, or a dead server (then what was measured is kept).
  const stop = ctx.serverDied ? AbortSignal.any([signal, ctx.serverDied]) : signal;
  const segment = ctx.segment;
  const first = segment?.range.first ?? 0;
  const count = segment?.range.count ?? scenario.clients.count;
  // A shared server is never reset by a segment: it would cut off the other segments' clients.
  if (!segment) await unlessAborted(api.reset(), stop);
  await unlessAborted(api.register(Array.from({ length: count }, (_, i) => clientId(first + i))), stop);
  const chat = scenario.chat;
  if (chat) await unlessAborted(api.rooms(chatRooms(chat.rooms, count), chat.echo), stop);

  const module = transportModule(plan.name);
  const drainMs = drainMsOf(scenario, plan);
  // Offline episodes span the warm-up and the window (offline-schedule.ts), as the publish schedule does.
  const offline = scenario.clients.offline;
  const scheduleMs = scenario.warmupMs + scenario.durationMs;
  const slow = scenario.clients.slow;
  const slowClients = slow ? slowClientSet(scenario.seed, count, slow.share) : undefined;
  // Known after the reset: an adapter's target starts each phase under a fresh name.
  const dialect = api.dialect();
  const fleet = new ClientFleet({
    baseUrl: api.baseUrl,
    plan,
    clientCount: count,
    ...(segment ? { firstIndex: first, fleetSize: segment.fleetClients } : {}),
    shards: ctx.shards,
    rampUpMs: scenario.clients.rampUpMs,
    seed: scenario.seed,
    localAddresses: ctx.localAddresses,
    ...(ctx.clientUrls ? { proxyUrls: ctx.clientUrls } : {}),
    ...(ctx.serverUrls ? { serverUrls: ctx.serverUrls } : {}),
    ...(offline ? { offline: { settings: offline, untilMs: scheduleMs } } : {}),
    ...(slow ? { slow } : {}),
    ...(dialect ? { dialect: { spec: dialect, schedule: { events: scenario.events, untilMs: scheduleMs } } } : {}),
    ...(chat ? { chat: { schedule: { events: scenario.events, untilMs: scheduleMs } } } : {}),
    ...(ctx.tls && module.server?.secure ? { tls: ctx.tls } : {}),
    ...(ctx.onFault ? { onFault: ctx.onFault } : {}),
  });
  // A broker's queue depth over the phase (TargetControl.held), from the connect on.
  const held = api.held ? new HeldSampler(() => api.held!()) : undefined;
  held?.start();
  // The server's cost each second of the phase, for the series (a target without /stats gives none).
  const serverSeconds = new ServerSampler(() => api.stats());
  serverSeconds.start();
  const abort = () => void fleet.kill();
  signal.addEventListener('abort', abort, { once: true });
  const status = statusReporter(ctx, fleet, plannedPhase(scenario, plan).ms);
  status.step('connect', `${count} clients over ${scenario.clients.rampUpMs} ms`);
  const measured: Measured = { connected: { connected: 0, failed: count }, steps: [] };
  try {
    const connecting = fleet.connect();
    measured.steps.push(['connect', fleet.originNs]);
    measured.connected = await unlessAborted(connecting, stop);

    const startNs = segment ? agreedStart(segment) : process.hrtime.bigint() + BigInt(SCHEDULE_LEAD_MS) * 1_000_000n;
    const windowStartNs = startNs + BigInt(scenario.warmupMs) * 1_000_000n;
    const windowEndNs = windowStartNs + BigInt(scenario.durationMs) * 1_000_000n;
    await unlessAborted(fleet.setWindow(windowStartNs, windowEndNs, startNs), stop);
    const publishing = {
      schedule: segment ? segmentSchedule(publishSchedule(scenario, scheduleMs), segment.range) : publishSchedule(scenario, scheduleMs),
      ...(offline ? { offline: new OfflineBook(offline, scenario.seed, count, scheduleMs) } : {}),
      window: { startNs, windowStartNs, windowEndNs },
      payloadBytes: scenario.events.payloadBytes,
      clientCount: count,
      ...(slowClients ? { slowClients } : {}),
    };
    // In a chat the clients send (chat-sender.ts): the schedule only says what was due.
    measured.publishing = chat
      ? Promise.resolve(tallySchedule(publishing))
      : runPublisher({ ...publishing, api, signal: stop, ...(segment ? { serverOffsetNs: segment.serverOffsetNs } : {}) });

    status.step('warm-up', `${scenario.warmupMs} ms, not counted`);
    measured.steps.push(['warm-up', startNs], ['measure', windowStartNs]);
    await sleepUntil(windowStartNs, stop);
    await unlessAborted(Promise.all([api.resetStats(), fleet.mark('start'), ctx.proxies?.mark('start')]), stop);
    ctx.nginx?.mark('start');
    ctx.backplane?.watch.mark('start');
    ctx.serverWatch?.mark('start');
    measured.windowStartNs = windowStartNs;
    status.step('measure', `${scenario.durationMs} ms`);
    await sleepUntil(windowEndNs, stop);
    const [serverStats, , proxyUsage] = await unlessAborted(Promise.all([api.stats(), fleet.mark('end'), ctx.proxies?.mark('end')]), stop);
    const nginxUsage = ctx.nginx?.mark('end');
    const backplaneUsage = ctx.backplane?.watch.mark('end');
    const watched = ctx.serverWatch?.mark('end');
    measured.windowEndNs = windowEndNs;
    const heldAtEnd = await held?.sampleNow();
    await held?.stop();
    const tally = await measured.publishing;
    throwIfAborted(stop);

    status.step('drain', `${drainMs} ms`);
    measured.steps.push(['drain', windowEndNs]);
    await sleep(drainMs, undefined, { signal: stop });
    status.step('disconnect', '');
    measured.steps.push(['disconnect', process.hrtime.bigint()]);
    const report = await fleet.stop();
    const published = chat ? withClientSends(tally, report.chat) : tally;
    const series = await seriesOf(fleet, report, serverSeconds, measured.steps);
    const runnerWarnings = phaseWarnings(plan, measured.connected, report, published);
    if (segment) segment.record(segmentMeasurements(ctx, module, report, published, { startNs, windowStartNs, windowEndNs }, runnerWarnings));
    return buildTransportResult({
      ...resultBasis(ctx, module, count, report, published, heartbeatCloses(serverStats, plan.name), slowServer(serverStats, ctx.plan.name, module)),
      series,
      durationMs: scenario.durationMs,
      server: { ...serverUsage(serverStats, ctx.plan.name, module), ...(watched ? { cpuMs: watched.cpuMs, rssPeakBytes: watched.rssPeakBytes } : {}) },
      ...(proxyUsage ? { proxy: proxyUsage } : {}),
      ...(ctx.nginx ? { nginx: nginxUsage ?? { cpuMs: null, rssBytes: null, readTimeouts: null } } : {}),
      ...(ctx.backplane
        ? { backplane: { kind: ctx.backplane.kind, cpuMs: backplaneUsage?.cpuMs ?? null, rssPeakBytes: backplaneUsage?.rssPeakBytes ?? null } }
        : {}),
      ...(held ? { brokerHeld: held.summary(windowStartNs, windowEndNs, heldAtEnd ?? null) } : {}),
      warnings: runnerWarnings,
    });
  } catch (error) {
    const died: unknown = ctx.serverDied?.reason;
    if (signal.aborted || !(died instanceof ProcessDied)) throw error;
    status.step('disconnect', '');
    return await partialResult(ctx, module, fleet, measured, died, serverSeconds);
  } finally {
    await held?.stop();
    await serverSeconds.stop();
    status.stop();
    signal.removeEventListener('abort', abort);
    await fleet.kill();
  }
}

/**
 * The agreed start on this machine's clock. A segment that is not connected by then cannot join
 * the others' schedule: it fails rather than measure a different run.
 */
function agreedStart(segment: PhaseSegment): bigint {
  const lateMs = Number(process.hrtime.bigint() - segment.startNs) / 1e6;
  if (lateMs > -SCHEDULE_LEAD_MS) {
    throw new Error(
      `this segment's clients were connected ${Math.round(lateMs + SCHEDULE_LEAD_MS)} ms too late for the agreed start (--start-at): give the segments more time before it`,
    );
  }
  return segment.startNs;
}

/** A segment's raw figures for push-bench merge: counts and histograms, never summaries. */
function segmentMeasurements(
  ctx: PhaseContext,
  module: AnyTransportModule,
  report: FleetReport,
  published: PublishOutcome,
  window: { startNs: bigint; windowStartNs: bigint; windowEndNs: bigint },
  runnerWarnings: Warning[],
): SegmentTransport {
  const { scenario } = ctx;
  const scheduleMs = scenario.warmupMs + scenario.durationMs;
  const whole = tallySchedule({
    schedule: publishSchedule(scenario, scheduleMs),
    window,
    payloadBytes: scenario.events.payloadBytes,
    clientCount: scenario.clients.count,
  });
  const model = expectedFigures(ctx, module).expectedFigures;
  return {
    transport: runName(ctx.plan),
    framed: module.framed,
    durationMs: scenario.durationMs,
    scheduled: { published: whole.published, expected: whole.expected },
    published: published.published,
    expected: published.expected,
    clients: report.snapshot as unknown as SegmentTransport['clients'],
    publishLagHistogram: published.lag.encode(),
    expectedFigures: model ? { ...model } : null,
    runnerWarnings,
  };
}

/** What a phase has got so far, so that a phase cut short can still report it. */
interface Measured {
  connected: { connected: number; failed: number };
  publishing?: Promise<PublishOutcome>;
  /** Set once the clients opened their measured window. */
  windowStartNs?: bigint;
  /** Set once they closed it. */
  windowEndNs?: bigint;
  /** When each step began so far, ns: the series' phases. */
  steps: Array<[PhaseName, bigint]>;
}

/** The phase's per-second series: every client process's seconds and the server's, merged. */
async function seriesOf(fleet: ClientFleet, report: FleetReport, server: ServerSampler, steps: Measured['steps']): Promise<TransportSeries> {
  const endNs = process.hrtime.bigint();
  await server.stop();
  const originNs = fleet.originNs;
  return assembleSeries(report.seconds, server.seconds(originNs), phaseSpans(originNs, steps, endNs));
}

/**
 * The reference server died: close the clients' window now, collect what they measured up to
 * then and say so. Server figures are unknown (null, never 0); the window is as long as it ran.
 */
async function partialResult(
  ctx: PhaseContext,
  module: AnyTransportModule,
  fleet: ClientFleet,
  measured: Measured,
  died: ProcessDied,
  serverSeconds: ServerSampler,
): Promise<TransportResult> {
  const { scenario, plan } = ctx;
  const diedAtNs = process.hrtime.bigint();
  const steps = measured.steps.filter(([, atNs]) => atNs <= diedAtNs);
  if (steps.at(-1)?.[0] !== 'disconnect') steps.push(['disconnect', diedAtNs]);
  if (measured.windowStartNs !== undefined && measured.windowEndNs === undefined) await fleet.mark('end');
  const tally = (await measured.publishing) ?? emptyPublishOutcome();
  const report = await fleet.stop();
  const published = scenario.chat ? withClientSends(tally, report.chat) : tally;
  const windowMs = measured.windowStartNs === undefined ? 0 : Number((measured.windowEndNs ?? diedAtNs) - measured.windowStartNs) / 1e6;
  const durationMs = Math.max(0, Math.min(scenario.durationMs, windowMs));
  const series = await seriesOf(fleet, report, serverSeconds, steps);
  return buildTransportResult({
    ...resultBasis(ctx, module, scenario.clients.count, report, published, null),
    series,
    durationMs,
    server: serverUsage(undefined, plan.name, module),
    warnings: [
      {
        code: died instanceof ProxyDied ? 'proxy-died' : 'server-died',
        transport: runName(plan),
        message: `${died.message} during this phase; measured ${(durationMs / 1_000).toFixed(1)} s of ${(scenario.durationMs / 1_000).toFixed(1)} s: the figures are incomplete and cover that part only.`,
      },
      ...phaseWarnings(plan, measured.connected, report, published),
    ],
  });
}

/** The parts of a transport's result that a full and a cut-short phase share. */
function resultBasis(
  ctx: PhaseContext,
  module: AnyTransportModule,
  count: number,
  report: FleetReport,
  published: PublishOutcome,
  heartbeat: ServerHeartbeatCloses | null,
  slowServerFigures: SlowClientMeasurements['server'] = UNKNOWN_SLOW_SERVER,
) {
  const offline = ctx.scenario.clients.offline
    ? { offline: { seen: report.offline ?? emptyOfflineSnapshot(), expected: published.expectedOffline, server: heartbeat } }
    : {};
  const slow = slowMeasurements(ctx.scenario, report, published, slowServerFigures);
  return {
    ...offline,
    ...(slow ? { slow } : {}),
    transport: runName(ctx.plan),
    framed: module.framed,
    published: published.published,
    expected: published.expected,
    clients: { ...report.snapshot, clients: count },
    publishLagMs: published.lag.summary(),
    ...(ctx.scenario.chat ? { sentByClients: { upPathMs: ctx.scenario.network?.up.latencyMs ?? 0 } } : {}),
    ...expectedFigures(ctx, module),
  };
}

/** Each room's member ids, as the server is told them: client i in room i mod rooms. */
function chatRooms(rooms: number, clients: number): Record<string, string[]> {
  return Object.fromEntries(Array.from({ length: Math.min(rooms, clients) }, (_, room) => [roomName(room), roomMembers(room, rooms, clients).map(clientId)]));
}

/**
 * The transport's model, with the clients' offline time when they go offline. None for a chat:
 * the models describe one-way delivery, and a chat's sends add requests and bytes they leave out.
 */
function expectedFigures(ctx: PhaseContext, module: AnyTransportModule) {
  if (ctx.scenario.chat) return {};
  const workload = workloadOf(ctx.scenario);
  const figures = withOfflineTime(module.model?.(workload, ctx.plan.settings) ?? null, workload);
  return figures ? { expectedFigures: figures } : {};
}

/** Reports the phase's status at each step and on a timer in between. */
function statusReporter(ctx: PhaseContext, fleet: ClientFleet, phasePlannedMs: number) {
  const phaseStartedMs = performance.now();
  let current: Pick<PhaseStatus, 'step' | 'detail' | 'stepStartedMs'> = { step: 'connect', detail: '', stepStartedMs: phaseStartedMs };
  const emit = (stepChanged: boolean) =>
    ctx.onStatus?.(
      { transport: runName(ctx.plan), ...current, phaseStartedMs, phasePlannedMs, clients: ctx.scenario.clients.count, ...fleet.progress() },
      stepChanged,
    );
  const timer = ctx.onStatus ? setInterval(() => emit(false), STATUS_INTERVAL_MS).unref() : undefined;
  return {
    step(step: PhaseStep, detail: string) {
      current = { step, detail, stepStartedMs: performance.now() };
      emit(true);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** A transport's channel in the server's /stats; none for a broker's transport, whose server is not ours. */
function channelFigures(stats: StatsSnapshot | undefined, transport: TransportPlan['name']): ChannelFigures | undefined {
  return (stats?.transports as Partial<Record<string, ChannelFigures>> | undefined)?.[transport];
}

function heartbeatCloses(stats: StatsSnapshot | undefined, transport: TransportPlan['name']): ServerHeartbeatCloses | null {
  const channel = channelFigures(stats, transport);
  if (!channel) return null;
  return { closes: channel.heartbeatTimeouts, silenceMsTotal: channel.heartbeatSilenceMsTotal, silenceMsMax: channel.heartbeatSilenceMsMax };
}

const UNKNOWN_SLOW_SERVER: SlowClientMeasurements['server'] = {
  pauses: null,
  skippedEvents: null,
  disconnects: null,
  bufferedBytes: null,
  maxSocketBufferedBytes: null,
};

/**
 * The slow clients' figures: their number and due deliveries from the seeded choice and schedule
 * (a client process that died reports nothing, and its slow clients' events then count as lost).
 */
function slowMeasurements(
  scenario: Scenario,
  report: FleetReport,
  published: PublishOutcome,
  server: SlowClientMeasurements['server'],
): SlowClientMeasurements | undefined {
  const slow = scenario.clients.slow;
  if (!slow) return undefined;
  const empty = new LatencyHistogram().encode();
  return {
    clients: slowClientCount(scenario.clients.count, slow.share),
    expected: published.expectedSlow,
    delivered: report.slow?.delivered ?? 0,
    latency: report.slow?.latency ?? empty,
    othersLatency: report.slow?.othersLatency ?? empty,
    server,
  };
}

/** What the server did about slow readers: its stream pump's counters (streaming transports only; pull has none to keep). */
function slowServer(stats: StatsSnapshot | undefined, transport: TransportPlan['name'], module: AnyTransportModule): SlowClientMeasurements['server'] {
  const channel = channelFigures(stats, transport);
  if (module.style !== 'push' || !channel) return UNKNOWN_SLOW_SERVER;
  return {
    pauses: channel.slowConsumerPauses,
    skippedEvents: channel.slowConsumerSkippedEvents,
    disconnects: channel.slowConsumerDisconnects,
    bufferedBytes: channel.bufferedBytes,
    maxSocketBufferedBytes: channel.maxSocketBufferedBytes,
  };
}

/** The server's cost from its /stats; every figure null (not measured) without them: a server that died, or a target without /stats. */
function serverUsage(stats: StatsSnapshot | undefined, transport: TransportPlan['name'], module: AnyTransportModule): TransportResult['server'] {
  const channel = channelFigures(stats, transport);
  const usage = stats
    ? { cpuMs: stats.cpu.totalMs, rssPeakBytes: stats.memory.rssPeakBytes, elu: Math.min(1, stats.eventLoop.utilization), ...processSpread(stats) }
    : { cpuMs: null, rssPeakBytes: null, elu: null };
  if (module.style !== 'push') return usage;
  return { ...usage, heartbeats: channel?.heartbeats ?? null, heartbeatBytes: channel?.heartbeatBytes ?? null };
}

/** How the cost spreads over the processes of a sharded server (the sums are the usage's own figures); nothing for one process. */
function processSpread(stats: StatsSnapshot) {
  const processes = stats.processes;
  if (!processes || processes.length < 2) return {};
  const cpu = processes.map((p) => p.cpuMs);
  const rss = processes.map((p) => p.rssPeakBytes);
  return {
    processes: processes.length,
    cpuMsMin: Math.min(...cpu),
    cpuMsMax: Math.max(...cpu),
    rssPeakBytesMin: Math.min(...rss),
    rssPeakBytesMax: Math.max(...rss),
    eluMin: Math.min(...processes.map((p) => p.elu)),
  };
}

/** The runner's warnings about one phase (the numbers' own come from report/transport-result.ts). */
export function phaseWarnings(
  plan: TransportPlan,
  connected: { connected: number; failed: number },
  report: FleetReport,
  published: PublishOutcome,
): Warning[] {
  const transport = runName(plan);
  const warnings: Warning[] = [];
  if (connected.failed > 0) {
    warnings.push({ code: 'clients-not-connected', transport, message: `${connected.failed} clients never connected; their events count as lost.` });
  }
  for (const lost of report.lost) {
    warnings.push({
      code: 'client-process-died',
      transport,
      message: `${lost.why}; its ${lost.clients} clients reported nothing and their events count as lost.`,
    });
  }
  if (published.failed > 0) {
    warnings.push({
      code: 'publish-failed',
      transport,
      message: `${published.failed} events of the window could not be published (${published.firstError ?? 'unknown error'}); they count as lost.`,
    });
  }
  if (published.claimed !== published.expectedAnswered) {
    warnings.push({
      code: 'recipients-mismatch',
      transport,
      message:
        `the schedule addressed ${published.expectedAnswered} deliveries through the window's published events, but the server said it fanned them out to ${published.claimed}: ` +
        'it lost registered clients (a reset?) or does not report what it delivers; expected counts from the schedule, so the difference shows as lost.',
    });
  }
  if (published.expected > 0 && report.snapshot.deliveries.delivered === 0) {
    warnings.push({
      code: 'nothing-delivered',
      transport,
      message: `not one of the ${published.expected} expected deliveries arrived${report.snapshot.requests.failed > 0 ? ` (${report.snapshot.requests.failed} requests failed)` : ''}: the transport did not work in this run.`,
    });
  }
  const failures = Object.entries(report.failures.counts).filter(([kind]) => kind !== 'connect');
  if (failures.length > 0) {
    const text = failures.map(([kind, n]) => `${n} ${kind}`).join(', ');
    warnings.push({ code: 'client-failures', transport, message: `clients reported failures: ${text} (e.g. ${report.failures.examples[0] ?? 'n/a'}).` });
  }
  for (const stall of report.stalls) {
    warnings.push({
      code: 'generator-stalled',
      transport,
      message: `client process ${stall.shard} (pid ${stall.pid}) sent nothing for up to ${(stall.longestMs / 1_000).toFixed(1)} s (${stall.count} time${stall.count > 1 ? 's' : ''}): it was stopped or starved of CPU, and the latency tail of that time belongs to the generator, not the transport.`,
    });
  }
  if (report.skippedPolls > 0) {
    warnings.push({
      code: 'skipped-polls',
      transport,
      message: `${report.skippedPolls} poll ticks were skipped because the previous poll was still in flight or the timer woke too late.`,
    });
  }
  return warnings;
}

async function sleepUntil(ns: bigint, signal: AbortSignal): Promise<void> {
  const ms = Number(ns - process.hrtime.bigint()) / 1e6;
  if (ms > 0) await sleep(ms, undefined, { signal });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The run was interrupted', 'AbortError');
}
