import type { Client } from 'undici';
import { ContractPullWire } from '../contract-pull-wire.js';
import {
  BodyReader,
  createHttpConnection,
  destroyConnection,
  errorDetail,
  isConnectError,
  isRetryableStatus,
  statusDetail,
  type BodyReceiver,
} from '../http-connection.js';
import { ClientLifecycle } from '../lifecycle.js';
import { leaveConnection, OpenSockets, type OfflineHow } from '../offline.js';
import { sharedTimerHeap, type TimerHeap, type TimerTask } from '../timer-heap.js';
import { HttpSender } from '../chat-send.js';
import { answerOutcome, type ChatMessage, type ClientContext, type SendReceipt, type TransportClient } from '../types.js';
import type { PullWire } from '../wire.js';
import type { PollingSettings } from './settings.js';

/**
 * Short polling: GET /poll?client=ID&after=CURSOR (or its dialect's words, see wire.ts) on one keep-alive connection.
 *
 * The first poll goes out at start() (a page load fetches at once); it connects, and its answer
 * resolves start(). Then the client polls on a schedule with a random phase in [0, interval):
 * - mode fixed: ticks at origin + k * interval (origin = first answer + phase), whatever the
 *   answers do, as setInterval would. A tick that comes while the previous poll is still in
 *   flight is SKIPPED and reported (sink.skippedPoll): firing anyway would need a second
 *   connection (no longer "one keep-alive connection per client") or HTTP pipelining (which no
 *   browser does), and queueing the tick would send two polls back to back and bunch phases.
 *   Skipping keeps the request rate honest: a slow server then shows as fewer requests and
 *   higher latency, and the skip count says why. Ticks missed because the timer woke more than
 *   an interval late are skipped and reported the same way.
 * - mode chained: the next poll `interval` after each answer (or failure).
 * Failures are retried by the schedule itself; the lifecycle gives up after a long streak.
 * Offline, it sends nothing (its schedule stops); back, it polls at once from its cursor, as a page
 * does on the browser's `online` event, and starts a new schedule from that answer.
 */
export function createPollingClient(ctx: ClientContext<PollingSettings>): TransportClient {
  return new PollingClient(ctx);
}

class PollingClient implements TransportClient, TimerTask, BodyReceiver {
  dueMs = 0;
  heapIndex = -1;
  private readonly lifecycle: ClientLifecycle;
  private readonly http: Client;
  /** Between two polls the connection is idle: a message goes up on it, as a browser reuses its keep-alive connection. */
  private readonly sender: HttpSender;
  private readonly reader = new BodyReader(this);
  private readonly timers: TimerHeap;
  private readonly wire: PullWire;
  private readonly sockets = new OpenSockets();
  private path = '';
  private inFlight = false;
  /** The poll in flight when the client went offline with `close`: its outcome, whenever it comes, is dropped. */
  private abandoned = false;
  private requestStartNs = 0n;
  private scheduling = false;
  private originMs = 0;
  private tick = 0;
  private closed: Promise<void> | undefined;

  constructor(private readonly ctx: ClientContext<PollingSettings>) {
    this.lifecycle = new ClientLifecycle(ctx, () => void this.closeResources());
    this.timers = ctx.timers ?? sharedTimerHeap;
    this.wire = ctx.dialect?.pull?.(ctx, false) ?? new ContractPullWire(ctx, '/poll');
    this.http = createHttpConnection({
      baseUrl: ctx.baseUrl,
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      meter: ctx.meter,
      sockets: this.sockets,
      headersTimeoutMs: 30_000,
      bodyTimeoutMs: 30_000,
    });
    this.sender = new HttpSender(ctx, this.http);
  }

  send(message: ChatMessage): Promise<SendReceipt> {
    return this.sender.send(message);
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    this.poll();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.closeResources();
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    this.timers.cancel(this);
    if (leaveConnection(how, this.sockets, this.reader.gate, this.inFlight)) this.abandoned = true;
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === null) return;
    if (how === 'silent') this.reader.gate.release();
    else this.sockets.dropEnded();
    if (this.inFlight || !this.lifecycle.active) return;
    this.timers.cancel(this);
    this.scheduling = false;
    this.poll();
  }

  /** A tick of the schedule (called by the timer heap). */
  fire(nowMs: number): void {
    if (!this.lifecycle.active || this.lifecycle.offline !== null) return;
    if (this.ctx.settings.mode === 'fixed') this.scheduleNextFixedTick(nowMs);
    if (this.inFlight) this.ctx.sink.skippedPoll?.(this.ctx.clientIndex);
    else this.poll();
  }

  answered(status: number, body: string, receivedNs: bigint, headers: Readonly<Record<string, unknown>>): void {
    this.inFlight = false;
    // Answered all the same, but the client had left: a request that brought it nothing.
    if (this.abandoned) this.ctx.sink.request(this.ctx.clientIndex, status >= 200 && status < 400 ? 'empty' : 'failed');
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    const { sink, clientIndex } = this.ctx;
    if (status >= 200 && status < 300) this.ctx.consume?.read(body.length, receivedNs);
    const answer = this.wire.answer(status, headers, body, receivedNs);
    if (answer === null) {
      sink.request(clientIndex, 'failed');
      this.lifecycle.failed('request', statusDetail(this.path, status, body), isRetryableStatus(status), this.retryAction());
    } else {
      sink.request(clientIndex, answerOutcome(answer.delivered));
      this.lifecycle.connected(this.requestStartNs);
    }
    this.afterAnswer(answer?.more ?? false);
  }

  broken(error: Error): void {
    this.inFlight = false;
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    const kind = isConnectError(error) ? 'connect' : 'request';
    this.lifecycle.failed(kind, errorDetail(error), true, this.retryAction());
    this.afterAnswer();
  }

  /** An abandoned poll ended: dropped; if the client came back meanwhile, the poll its return skipped goes now. */
  private settledAbandoned(): boolean {
    if (!this.abandoned) return false;
    this.abandoned = false;
    if (this.lifecycle.active && this.lifecycle.offline === null) {
      this.scheduling = false;
      this.poll();
    }
    return true;
  }

  private poll(): void {
    // One poll at a time: a slow client's deferred poll may come due after a tick already sent one.
    if (this.inFlight) return;
    // Offline, the poll waits for the return (comeBack polls); a slow client polls again once it
    // got through the last answer (a tick meanwhile puts it off again, it is not skipped).
    if (this.lifecycle.offline !== null || this.ctx.consume?.defer(() => this.poll())) return;
    this.inFlight = true;
    this.requestStartNs = process.hrtime.bigint();
    const request = this.wire.next();
    this.path = request.path;
    this.reader.get(this.http, request);
  }

  /** Before the first answer there is no schedule yet: retry the first poll with backoff. */
  private retryAction(): (() => void) | null {
    return this.scheduling ? null : () => this.poll();
  }

  /** `more`: the server held more than one answer carries; fetch the rest at once, as a page would. */
  private afterAnswer(more = false): void {
    if (!this.lifecycle.isConnected) return;
    if (more) return this.poll();
    const now = this.timers.now();
    if (!this.scheduling) return this.beginSchedule(now);
    if (this.ctx.settings.mode === 'chained') this.timers.schedule(this, now + this.ctx.settings.intervalMs);
  }

  private beginSchedule(nowMs: number): void {
    this.scheduling = true;
    const phaseMs = this.ctx.random() * this.ctx.settings.intervalMs;
    this.originMs = nowMs + phaseMs;
    this.tick = 0;
    this.timers.schedule(this, this.originMs);
  }

  /** From the ideal schedule, never from "now", so that late wakes do not shift the phase. */
  private scheduleNextFixedTick(nowMs: number): void {
    const interval = this.ctx.settings.intervalMs;
    this.tick++;
    while (this.originMs + this.tick * interval <= nowMs) {
      this.tick++;
      this.ctx.sink.skippedPoll?.(this.ctx.clientIndex);
    }
    this.timers.schedule(this, this.originMs + this.tick * interval);
  }

  private closeResources(): Promise<void> {
    this.timers.cancel(this);
    this.closed ??= destroyConnection(this.http);
    return this.closed;
  }
}
