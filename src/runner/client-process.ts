/**
 * Entry of a client process (forked by the orchestrator): holds a shard of the simulated
 * clients, records what they see, and reports one snapshot at the end of the phase. Never
 * shares an event loop with the server, so neither's slowness shows up in the other's figures. Exits when its parent goes away.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fieldsSince, newProcessUsage, newRequestCounts, newWireBytes, type RequestCounts } from '../metrics/counters.js';
import { DeliveryTracker } from '../metrics/deliveries.js';
import { OfflineRecorder } from '../metrics/offline.js';
import { LatencyHistogram } from '../metrics/histogram.js';
import { snapshotOf } from '../metrics/snapshot.js';
import { SecondRecorder } from '../metrics/second-recorder.js';
import { SERIES_INTERVAL_NS, type ClientSecond } from '../metrics/series.js';
import { transportModule } from '../transports/catalog.js';
import { SocketMeter, type ByteCounts } from '../transports/socket-meter.js';
import { withConsumeLimit, type ConsumeGate } from '../transports/consume-gate.js';
import type { ClientContext, ClientSink, TransportClient } from '../transports/types.js';
import { clientId, serverProcessOf } from './client-ids.js';
import { PROGRESS_INTERVAL_MS, type FailureSummary, type FromClientProcess, type StartMessage, type ToClientProcess } from './client-messages.js';
import { readRss } from '../tool/rss.js';
import { OfflineDriver } from './offline-driver.js';
import { offlineEpisodes } from './offline-schedule.js';
import { seededRandom } from './random.js';
import { SlowAccount, slowClientSet } from './slow-clients.js';
import { dialectOf } from '../targets/catalog.js';
import type { Dialect } from '../transports/wire.js';
import type { BrokerLink } from '../transports/broker-link.js';
import { ScheduledSeqs } from './scheduled-seqs.js';
import { ChatSender } from './chat-sender.js';

const MAX_FAILURE_EXAMPLES = 5;
/** Clients that have not closed by then are abandoned; the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

interface WindowMark {
  requests: RequestCounts;
  bytes: ByteCounts;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
}

class ClientShard {
  private tracker: DeliveryTracker | undefined;
  private readonly requests = newRequestCounts();
  private readonly connect = new LatencyHistogram();
  private readonly meter = new SocketMeter();
  private readonly failures: FailureSummary = { counts: {}, examples: [] };
  private readonly clients: TransportClient[] = [];
  /** The slow clients' accounting and their gates; absent when every client keeps up. */
  private readonly slow: SlowAccount | undefined;
  private readonly gates: ConsumeGate[] = [];
  private skippedPolls = 0;
  /** Only with offline clients: nothing is created, and no event pays for it, otherwise. */
  private offline: { recorder: OfflineRecorder; driver: OfflineDriver } | undefined;
  /**
   * Data frames that carried an event are counted with their event, in its window (by intended
   * time, like deliveries), so that frames.down and delivered agree; other frames by wall clock.
   */
  private readonly framed: boolean;
  private eventFramesDown = 0;
  private eventsBeforeWindow = 0;
  private startMark: WindowMark | undefined;
  private endMark: WindowMark | undefined;
  private rssPeak = 0;
  private readonly rssSampler = setInterval(() => this.sampleRss(), 100).unref();
  private connectedClients = 0;
  /**
   * Which clients are up as far as they know, for the series' gauge: set by the first connect, an
   * answered request or an event; cleared when a working connection drops.
   */
  private readonly up: Uint8Array;
  private upCount = 0;
  /** The per-second series: seconds count from the ramp start, which every process of the phase shares. */
  private readonly seconds: SecondRecorder;
  /** Closed seconds not yet shipped: they leave with the next progress report (or the final snapshot). */
  private unsentSeconds: ClientSecond[] = [];
  private secondTimer: NodeJS.Timeout | undefined;
  private secondElu = performance.eventLoopUtilization();
  private readonly progressReporter = setInterval(() => void this.reportProgress(), PROGRESS_INTERVAL_MS).unref();

  /** How the clients speak to a target that does not speak the wire contract. */
  private readonly dialect: Dialect | undefined;
  /** A broker transport's broker and the phase's names in it. */
  private readonly broker: BrokerLink | undefined;
  /** In a chat: sends this process's clients' messages, from the window message on. */
  private chat: ChatSender | undefined;

  constructor(private readonly start: StartMessage) {
    this.framed = transportModule(start.transport).framed;
    this.up = new Uint8Array(start.count);
    this.seconds = new SecondRecorder(BigInt(start.rampStartNs));
    this.scheduleSecond();
    if (start.dialect) {
      const { spec, schedule } = start.dialect;
      const seqs = new ScheduledSeqs(
        { seed: start.seed, events: schedule.events, clients: { count: start.fleetSize } },
        schedule.untilMs,
        start.firstIndex,
        start.count,
      );
      if (spec.adapter === 'broker') this.broker = { url: spec.url, namespace: spec.namespace, seqOf: seqs.seqOf };
      else this.dialect = dialectOf(spec, seqs.seqOf);
    }
    if (start.slow) {
      const { firstIndex, count } = start;
      const local = [...slowClientSet(start.seed, start.fleetSize, start.slow.share)].filter((g) => g >= firstIndex && g < firstIndex + count);
      this.slow = new SlowAccount(new Set(local.map((g) => g - firstIndex)));
    }
  }

  readonly sink: ClientSink = {
    event: (index, seq, intendedNs, payloadBytes, receivedNs) => {
      this.markUp(index, true);
      if (!this.tracker) {
        this.eventsBeforeWindow++;
        return;
      }
      const sighting = this.tracker.recordEvent(index, seq, intendedNs, receivedNs, payloadBytes);
      const inWindow = this.tracker.inWindow(intendedNs);
      if (sighting !== 'duplicate') this.seconds.delivery(receivedNs, receivedNs - intendedNs, inWindow);
      this.slow?.record(index, sighting, inWindow, receivedNs - intendedNs);
      if (this.framed && inWindow) this.eventFramesDown++;
      if (this.offline && sighting !== 'duplicate' && inWindow) this.offline.recorder.event(index, intendedNs, receivedNs);
    },
    gap: (index, from, to) => {
      this.tracker?.recordGap(index, from, to);
      this.offline?.recorder.gap(index, process.hrtime.bigint());
    },
    request: (index, outcome) => {
      this.requests.total++;
      if (outcome !== 'failed') this.markUp(index, true);
      if (outcome === 'empty') this.requests.empty++;
      else if (outcome === 'failed') this.requests.failed++;
    },
    frame: (_index, direction, _control, carriesEvent) => {
      if (direction === 'up') this.requests.framesUp++;
      else if (!(this.framed && carriesEvent === true)) this.requests.framesDown++;
    },
    connected: (index, connectNs) => {
      this.connectedClients++;
      this.markUp(index, true);
      this.connect.record(connectNs);
    },
    failure: (index, kind, detail) => {
      this.failures.counts[kind] = (this.failures.counts[kind] ?? 0) + 1;
      this.seconds.failure(process.hrtime.bigint(), kind);
      if (kind === 'disconnect') this.markUp(index, false);
      if (kind === 'connect') this.requests.connectFailures++;
      if (kind === 'disconnect') this.requests.reconnects++;
      if (this.failures.examples.length < MAX_FAILURE_EXAMPLES) this.failures.examples.push(`${clientId(this.start.firstIndex + index)} ${kind}: ${detail}`);
    },
    skippedPoll: () => {
      this.skippedPolls++;
    },
  };

  /** Connects the shard's clients on the fleet-wide paced ramp; resolves when every client connected or gave up. */
  async connectAll(): Promise<{ connected: number; failed: number }> {
    const { firstIndex, count, fleetSize, rampUpMs, transport, settings, baseUrl, serverUrls, seed, localAddresses } = this.start;
    const rampStartNs = BigInt(this.start.rampStartNs);
    const module = transportModule(transport);
    const starts: Array<Promise<void>> = [];
    for (let local = 0; local < count; local++) {
      const global = firstIndex + local;
      const dueNs = rampStartNs + BigInt(Math.round((global / fleetSize) * rampUpMs * 1e6));
      const waitMs = Number(dueNs - process.hrtime.bigint()) / 1e6;
      // Sleep only when the next client is at least a timer tick away; otherwise start all that are due.
      if (waitMs >= 1) await sleep(waitMs);
      const localAddress = localAddresses.length > 0 ? localAddresses[global % localAddresses.length] : undefined;
      const ctx: ClientContext<unknown> = {
        baseUrl: serverUrls ? serverUrls[serverProcessOf(global, serverUrls.length)]! : baseUrl,
        clientId: clientId(global),
        clientIndex: local,
        ...(localAddress ? { localAddress } : {}),
        settings,
        sink: this.sink,
        meter: this.meter,
        random: seededRandom(seed * 1_000_003 + global),
        ...(this.dialect ? { dialect: this.dialect } : {}),
        ...(this.broker ? { broker: this.broker } : {}),
        ...(this.start.tls ? { tls: this.start.tls } : {}),
      };
      const client = module.createClient(this.slowDown(ctx, local));
      this.clients.push(client);
      starts.push(client.start());
    }
    const settled = await Promise.allSettled(starts);
    const failed = settled.filter((s) => s.status === 'rejected').length;
    return { connected: count - failed, failed };
  }

  /** A slow client's context: its reads go through a consume gate (and its events are stamped by it). */
  private slowDown(ctx: ClientContext<unknown>, local: number): ClientContext<unknown> {
    if (!this.start.slow || !this.slow?.isSlow(local)) return ctx;
    const slowCtx = withConsumeLimit(ctx, this.start.slow.consume);
    if (slowCtx.consume) this.gates.push(slowCtx.consume);
    return slowCtx;
  }

  setWindow(startNs: bigint, endNs: bigint, zeroNs: bigint): void {
    this.tracker = new DeliveryTracker(this.start.count, { startNs, endNs });
    if (this.start.chat) {
      const { events, untilMs } = this.start.chat.schedule;
      const basis = { seed: this.start.seed, events, clients: { count: this.start.fleetSize } };
      this.chat = new ChatSender({ clients: this.clients, firstIndex: this.start.firstIndex, basis, untilMs });
      this.chat.start(zeroNs, { startNs, endNs });
    }
    const offline = this.start.offline;
    if (offline === undefined) return;
    const { firstIndex, count, seed } = this.start;
    const perClient = Array.from({ length: count }, (_, local) => offlineEpisodes(offline.settings, seed, firstIndex + local, offline.untilMs));
    const recorder = new OfflineRecorder(perClient, zeroNs, { startNs, endNs });
    this.offline = { recorder, driver: new OfflineDriver(this.clients, perClient, zeroNs, offline.settings, recorder) };
    this.offline.driver.start();
  }

  mark(edge: 'start' | 'end'): void {
    const mark: WindowMark = { requests: { ...this.requests }, bytes: this.meter.snapshot(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() };
    if (edge === 'start') {
      this.startMark = mark;
      this.rssPeak = readRss() ?? this.rssPeak;
    } else {
      this.endMark = mark;
    }
  }

  async stop(): Promise<FromClientProcess> {
    const chat = await this.chat?.stop();
    this.offline?.driver.stop();
    for (const gate of this.gates) gate.stop();
    await Promise.race([Promise.allSettled(this.clients.map((c) => c.stop())), sleep(STOP_TIMEOUT_MS)]);
    clearInterval(this.rssSampler);
    clearInterval(this.progressReporter);
    clearTimeout(this.secondTimer);
    this.closeSeconds(true);
    const phase = this.meter.snapshot();
    const { requests, bytes, usage } = windowFigures(this.startMark, this.endMark, this.rssPeak);
    requests.framesDown += this.eventFramesDown;
    bytes.phaseUp = phase.up;
    bytes.phaseDown = phase.down;
    if (this.eventsBeforeWindow > 0) this.sink.failure(0, 'protocol', `${this.eventsBeforeWindow} events arrived before the schedule started`);
    const tracker = this.tracker ?? new DeliveryTracker(this.start.count, { startNs: 0n, endNs: 0n });
    const snapshot = snapshotOf({ tracker, requests, bytes, connect: this.connect, usage });
    return {
      type: 'snapshot',
      snapshot,
      failures: this.failures,
      skippedPolls: this.skippedPolls,
      seconds: this.takeSeconds(),
      ...(this.offline ? { offline: this.offline.recorder.snapshot() } : {}),
      ...(this.slow ? { slow: this.slow.snapshot() } : {}),
      ...(chat ? { chat } : {}),
    };
  }

  private reportProgress(): Promise<void> {
    const seconds = this.takeSeconds();
    return send({
      type: 'progress',
      connected: this.connectedClients,
      delivered: this.tracker?.counts().delivered ?? 0,
      ...(seconds.length > 0 ? { seconds } : {}),
    });
  }

  /** Wakes just after each second boundary of the series to close the second that ended. */
  private scheduleSecond(): void {
    const sinceOrigin = process.hrtime.bigint() - BigInt(this.start.rampStartNs);
    const intoSecond = ((sinceOrigin % SERIES_INTERVAL_NS) + SERIES_INTERVAL_NS) % SERIES_INTERVAL_NS;
    const waitMs = Number(SERIES_INTERVAL_NS - intoSecond) / 1e6 + 1;
    this.secondTimer = setTimeout(() => {
      this.closeSeconds(false);
      this.scheduleSecond();
    }, waitMs).unref();
  }

  private closeSeconds(final: boolean): void {
    const bytes = this.meter.snapshot();
    const elu = performance.eventLoopUtilization(this.secondElu);
    this.secondElu = performance.eventLoopUtilization();
    const parts = this.seconds.close(
      process.hrtime.bigint(),
      { requests: this.requests.total, bytesDown: bytes.down, bytesUp: bytes.up },
      { connected: this.upCount, elu: elu.utilization },
      final,
    );
    this.unsentSeconds.push(...parts);
  }

  private markUp(index: number, up: boolean): void {
    if ((this.up[index] === 1) === up) return;
    this.up[index] = up ? 1 : 0;
    this.upCount += up ? 1 : -1;
  }

  private takeSeconds(): ClientSecond[] {
    const seconds = this.unsentSeconds;
    this.unsentSeconds = [];
    return seconds;
  }

  private sampleRss(): void {
    if (this.startMark && !this.endMark) this.rssPeak = Math.max(this.rssPeak, readRss() ?? 0);
  }
}

/** What happened between the window's two marks; all zero when the window never closed (an aborted run). */
function windowFigures(start: WindowMark | undefined, end: WindowMark | undefined, rssPeak: number) {
  let requests = newRequestCounts();
  const bytes = newWireBytes();
  const usage = newProcessUsage();
  if (start && end) {
    requests = fieldsSince(end.requests, start.requests);
    ({ up: bytes.up, down: bytes.down } = fieldsSince(end.bytes, start.bytes));
    usage.cpuMs = (end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system) / 1_000;
    usage.elu = performance.eventLoopUtilization(end.elu, start.elu).utilization;
    usage.rssPeakBytes = rssPeak;
    usage.processes = 1;
  }
  return { requests, bytes, usage };
}

function send(message: FromClientProcess): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

let shard: ClientShard | undefined;

async function handle(message: ToClientProcess): Promise<void> {
  switch (message.type) {
    case 'start': {
      shard = new ClientShard(message);
      const outcome = await shard.connectAll();
      return send({ type: 'connected', ...outcome });
    }
    case 'window':
      shard?.setWindow(BigInt(message.startNs), BigInt(message.endNs), BigInt(message.zeroNs));
      return send({ type: 'window-set' });
    case 'mark':
      shard?.mark(message.edge);
      return send({ type: 'marked', edge: message.edge });
    case 'stop': {
      const report = shard ? await shard.stop() : undefined;
      if (report) await send(report);
      process.exit(0);
    }
  }
}

process.on('message', (message: ToClientProcess) => {
  handle(message).catch(async (error: Error) => {
    await send({ type: 'fatal', message: error.stack ?? error.message });
    process.exit(1);
  });
});
// The orchestrator is gone (it crashed or was killed): nobody will read our figures.
process.on('disconnect', () => process.exit(0));
// Stopped by PID: exit the ordinary way, so that exit hooks run (a CPU profile is written then).
process.on('SIGTERM', () => process.exit(0));
// Ctrl-C reaches the whole process group; the orchestrator decides what happens, and stops us by PID.
process.on('SIGINT', () => undefined);
