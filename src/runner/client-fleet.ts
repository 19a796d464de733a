/**
 * The simulated clients of one transport phase, sharded over client processes. Every wait on
 * a child also ends when that child dies, so a crashed client process is reported, never
 * waited on forever; its events then count as lost.
 */
import type { ChildProcess } from 'node:child_process';
import { emptyOfflineSnapshot, mergeOfflineSnapshots, type OfflineSnapshot } from '../metrics/offline.js';
import { mergeSnapshots, emptySnapshot, type ClientSnapshot } from '../metrics/snapshot.js';
import type { TransportPlan } from '../transports/catalog.js';
import { forkChild, stopChild } from './child-process.js';
import { PROGRESS_INTERVAL_MS, type FailureSummary, type FromClientProcess, type StartMessage, type ToClientProcess } from './client-messages.js';
import { mergeSlowSnapshots, type SlowPlan, type SlowSnapshot } from './slow-clients.js';
import { mergeChatSendReports, type ChatSendReport } from './chat-sender.js';
import { StallWatch } from './stall-watch.js';
import type { ClientSecond } from '../metrics/series.js';
import { RAMP_LEAD_MS } from '../scenario/timeline.js';

const CLIENT_ENTRY = new URL('./client-process.js', import.meta.url);

export interface FleetOptions {
  baseUrl: string;
  plan: TransportPlan;
  clientCount: number;
  /** Global index of the first client, when these are a segment of a larger fleet (run --segment); default 0. */
  firstIndex?: number;
  /** Clients of the whole fleet, all segments (default clientCount): each client's ramp slot follows from its global index in it. */
  fleetSize?: number;
  shards: number;
  rampUpMs: number;
  seed: number;
  localAddresses: string[];
  /** A sharded reference server's processes (server-fleet.ts): each client connects to the one that holds it. */
  serverUrls?: readonly string[];
  /** Shaping proxies in front of the server: client process k connects through proxyUrls[k % length] instead of baseUrl. */
  proxyUrls?: readonly string[];
  /** Clients go offline now and then (offline-schedule.ts). */
  offline?: StartMessage['offline'];
  /** Clients that fall behind (absent: all keep up). */
  slow?: SlowPlan;
  /** The target's dialect, when it does not speak the wire contract. */
  dialect?: StartMessage['dialect'];
  /** A chat: the clients send the schedule's messages. */
  chat?: StartMessage['chat'];
  /** The TLS listener a secure transport's clients connect to, and the CA they trust. */
  tls?: StartMessage['tls'];
  /** Told at once when a client process dies or goes silent. */
  onFault?: (message: string) => void;
}

export interface FleetReport {
  snapshot: ClientSnapshot;
  failures: FailureSummary;
  skippedPolls: number;
  /** Client processes that died before reporting, with what they said. */
  lost: Array<{ shard: number; clients: number; why: string }>;
  /** Client processes that went silent past STALL_MS during the phase. */
  stalls: Array<{ shard: number; pid: number; count: number; longestMs: number }>;
  /** With offline clients: the shards' offline figures, merged. */
  offline?: OfflineSnapshot;
  /** The slow clients' and the others' figures, merged over the processes that reported; absent when all keep up. */
  slow?: SlowSnapshot;
  /** In a chat: what the senders saw of their messages, merged over the processes that reported. */
  chat?: ChatSendReport;
  /** Every per-second part the client processes sent (also those of a process that died later). */
  seconds: ClientSecond[];
}

/** A client process silent this long (five missed progress reports) was stopped or starved, ms. */
const STALL_MS = 5 * PROGRESS_INTERVAL_MS;
/** How long an answer from a live client process may take before it counts as lost (connect excepted: it lasts the ramp), ms. */
const ANSWER_TIMEOUT_MS = 30_000;

export interface FleetProgress {
  /** Clients connected so far. Count. */
  connected: number;
  /** Unique in-window deliveries so far. Count. */
  delivered: number;
}

interface Shard {
  index: number;
  child: ChildProcess;
  clients: number;
  firstIndex: number;
  /** The shard's latest progress report. */
  progress?: FleetProgress;
  /** Set once the child has exited (before or after reporting). */
  exited?: string;
  stderr: string;
}

export class ClientFleet {
  private readonly shards: Shard[] = [];
  private readonly stalls = new StallWatch(STALL_MS);
  private stalling: NodeJS.Timeout | undefined;
  /** Set once the fleet is being stopped: exits are then expected, not faults. */
  private stopping = false;
  private readonly seconds: ClientSecond[] = [];
  private rampStartNs = 0n;

  constructor(private readonly options: FleetOptions) {}

  /** Forks the shards and connects every client on the paced ramp. */
  async connect(): Promise<{ connected: number; failed: number }> {
    const { clientCount, shards } = this.options;
    const perShard = Math.ceil(clientCount / shards);
    for (let index = 0, first = 0; first < clientCount; index++, first += perShard) {
      const child = forkChild(CLIENT_ENTRY);
      const shard: Shard = { index, child, clients: Math.min(perShard, clientCount - first), firstIndex: (this.options.firstIndex ?? 0) + first, stderr: '' };
      child.stderr?.on('data', (chunk: Buffer) => {
        shard.stderr = (shard.stderr + chunk.toString()).slice(-2_000);
      });
      child.on('message', (message: FromClientProcess) => {
        this.stalls.heard(index);
        if (message.type === 'progress') {
          shard.progress = { connected: message.connected, delivered: message.delivered };
          if (message.seconds) this.seconds.push(...message.seconds);
        }
      });
      child.once('exit', (code, signal) => {
        shard.exited = `client process ${index} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}${shard.stderr ? `: ${shard.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
        this.stalls.unwatch(index);
        if (!this.stopping) this.options.onFault?.(`${shard.exited}; its clients' events count as lost.`);
      });
      this.shards.push(shard);
    }
    // Ramp start a little ahead so that every process is ready before the first client is due.
    const rampStartNs = process.hrtime.bigint() + BigInt(RAMP_LEAD_MS) * 1_000_000n;
    this.rampStartNs = rampStartNs;
    const replies = await this.askAll(
      (shard) => ({
        type: 'start',
        baseUrl: this.baseUrlOf(shard.index),
        ...(this.options.serverUrls && this.options.serverUrls.length > 1 ? { serverUrls: [...this.options.serverUrls] } : {}),
        transport: this.options.plan.name,
        settings: this.options.plan.settings,
        firstIndex: shard.firstIndex,
        count: shard.clients,
        fleetSize: this.options.fleetSize ?? clientCount,
        rampStartNs: rampStartNs.toString(),
        rampUpMs: this.options.rampUpMs,
        seed: this.options.seed,
        localAddresses: this.options.localAddresses,
        ...(this.options.offline ? { offline: this.options.offline } : {}),
        ...(this.options.slow ? { slow: this.options.slow } : {}),
        ...(this.options.dialect ? { dialect: this.options.dialect } : {}),
        ...(this.options.chat ? { chat: this.options.chat } : {}),
        ...(this.options.tls ? { tls: this.options.tls } : {}),
      }),
      'connected',
      null,
    );
    // Watched from here on: a process still booting or connecting its ramp is not stalled.
    for (const shard of this.shards) if (!shard.exited) this.stalls.watch(shard.index);
    this.stalling = setInterval(() => this.announceSilence(), PROGRESS_INTERVAL_MS).unref();
    let connected = 0;
    let failed = 0;
    for (const [shard, reply] of replies) {
      if (reply) {
        shard.progress = { connected: reply.connected, delivered: shard.progress?.delivered ?? 0 };
        connected += reply.connected;
        failed += reply.failed;
      } else {
        failed += shard.clients;
      }
    }
    return { connected, failed };
  }

  private baseUrlOf(shard: number): string {
    const proxies = this.options.proxyUrls ?? [];
    return proxies.length > 0 ? proxies[shard % proxies.length]! : this.options.baseUrl;
  }

  /** The measured window [startNs, endNs) and the schedule's zero (offline episodes count from it). */
  async setWindow(startNs: bigint, endNs: bigint, zeroNs = startNs): Promise<void> {
    await this.askAll(() => ({ type: 'window', startNs: startNs.toString(), endNs: endNs.toString(), zeroNs: zeroNs.toString() }), 'window-set');
  }

  async mark(edge: 'start' | 'end'): Promise<void> {
    await this.askAll(() => ({ type: 'mark', edge }), 'marked');
  }

  /** Stops every client and merges the shards' snapshots (exactly: counts add, histograms add). */
  async stop(): Promise<FleetReport> {
    this.stopping = true;
    clearInterval(this.stalling);
    for (const shard of this.shards) this.stalls.unwatch(shard.index);
    const replies = await this.askAll(() => ({ type: 'stop' }), 'snapshot');
    const stalls = [...this.stalls.report()].map(([index, stall]) => ({ shard: index, pid: this.shards[index]?.child.pid ?? -1, ...stall }));
    const report: FleetReport = {
      snapshot: emptySnapshot(),
      failures: { counts: {}, examples: [] },
      skippedPolls: 0,
      lost: [],
      stalls,
      seconds: this.seconds,
    };
    for (const [shard, reply] of replies) {
      if (!reply) {
        report.lost.push({ shard: shard.index, clients: shard.clients, why: shard.exited ?? 'no report' });
        continue;
      }
      report.snapshot = mergeSnapshots(report.snapshot, reply.snapshot);
      report.seconds.push(...reply.seconds);
      if (reply.slow) report.slow = report.slow ? mergeSlowSnapshots(report.slow, reply.slow) : reply.slow;
      if (reply.chat) report.chat = report.chat ? mergeChatSendReports(report.chat, reply.chat) : reply.chat;
      report.skippedPolls += reply.skippedPolls;
      if (reply.offline) report.offline = mergeOfflineSnapshots(report.offline ?? emptyOfflineSnapshot(), reply.offline);
      for (const [kind, count] of Object.entries(reply.failures.counts)) report.failures.counts[kind] = (report.failures.counts[kind] ?? 0) + count;
      report.failures.examples.push(...reply.failures.examples.slice(0, Math.max(0, 5 - report.failures.examples.length)));
    }
    await this.kill();
    return report;
  }

  /** Stops every client process by PID (also on abort). */
  async kill(): Promise<void> {
    this.stopping = true;
    clearInterval(this.stalling);
    await Promise.all(this.shards.map((shard) => stopChild(shard.child)));
  }

  /** Latest progress summed over the shards (each reports every PROGRESS_INTERVAL_MS). */
  progress(): FleetProgress {
    let connected = 0;
    let delivered = 0;
    for (const shard of this.shards) {
      connected += shard.progress?.connected ?? 0;
      delivered += shard.progress?.delivered ?? 0;
    }
    return { connected, delivered };
  }

  /** The series' origin (the ramp start, ns); known once connect() began. */
  get originNs(): bigint {
    return this.rampStartNs;
  }

  get pids(): number[] {
    return this.shards.map((shard) => shard.child.pid ?? -1);
  }

  /** Sends a message to every live shard; resolves with each one's reply, or undefined for a shard that died. */
  /** Each shard silent past STALL_MS is announced once per gap. */
  private announceSilence(): void {
    for (const { shard, silentMs } of this.stalls.newlySilent()) {
      const pid = this.shards[shard]?.child.pid;
      this.options.onFault?.(
        `client process ${shard} (pid ${pid}) has sent nothing for ${(silentMs / 1_000).toFixed(1)} s: stopped or starved of CPU; latencies measured meanwhile belong to the generator.`,
      );
    }
  }

  /**
   * Sends a message to every live shard; resolves with each one's reply, or undefined for a
   * shard that died or did not answer within `timeoutMs` (null: no limit).
   */
  private async askAll<T extends FromClientProcess['type']>(
    message: (shard: Shard) => ToClientProcess,
    reply: T,
    timeoutMs: number | null = ANSWER_TIMEOUT_MS,
  ): Promise<Array<[Shard, Extract<FromClientProcess, { type: T }> | undefined]>> {
    return Promise.all(
      this.shards.map(
        async (shard) => [shard, await this.ask(shard, message(shard), reply, timeoutMs)] as [Shard, Extract<FromClientProcess, { type: T }> | undefined],
      ),
    );
  }

  private ask<T extends FromClientProcess['type']>(
    shard: Shard,
    message: ToClientProcess,
    reply: T,
    timeoutMs: number | null,
  ): Promise<Extract<FromClientProcess, { type: T }> | undefined> {
    if (shard.exited || !shard.child.connected) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(() => {
              shard.exited ??= `client process ${shard.index} (pid ${shard.child.pid}) did not answer "${message.type}" within ${timeoutMs / 1_000} s`;
              done(undefined);
            }, timeoutMs);
      const onMessage = (answer: FromClientProcess) => {
        if (answer.type === 'fatal') {
          shard.exited = `client process ${shard.index} failed: ${answer.message.split('\n')[0]}`;
          done(undefined);
        } else if (answer.type === reply) {
          done(answer as Extract<FromClientProcess, { type: T }>);
        }
      };
      const onExit = () => done(undefined);
      const done = (value: Extract<FromClientProcess, { type: T }> | undefined) => {
        clearTimeout(timer);
        shard.child.off('message', onMessage);
        shard.child.off('exit', onExit);
        resolve(value);
      };
      shard.child.on('message', onMessage);
      shard.child.once('exit', onExit);
      shard.child.send(message, (error) => {
        if (error) done(undefined);
      });
    });
  }
}
