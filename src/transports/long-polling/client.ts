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
import { HttpSender } from '../chat-send.js';
import { answerOutcome, type ChatMessage, type ClientContext, type SendReceipt, type TransportClient } from '../types.js';
import type { PullWire } from '../wire.js';
import type { LongPollingSettings } from './settings.js';

/** Allowance on top of the server's hold time before we call a held request dead. */
const HOLD_MARGIN_MS = 10_000;

/**
 * Long polling: GET /long-poll?client=ID&after=CURSOR&timeout=MS, re-sent at once after every
 * answer (200 with events, or 204 when the hold timed out) on one keep-alive connection.
 *
 * start() resolves on the first TCP connect, not on the first answer: with no events the first
 * answer only comes after the whole hold (up to timeoutMs), and a connected long-poll is what
 * "connected" means for this transport. A bad first answer (404 unknown client) is still
 * reported as a failure when it comes. Failures are retried with backoff: re-requesting "at
 * once" after a 500 would spin. Back from offline, it asks again from its cursor at once.
 */
export function createLongPollingClient(ctx: ClientContext<LongPollingSettings>): TransportClient {
  return new LongPollingClient(ctx);
}

class LongPollingClient implements TransportClient, BodyReceiver {
  private readonly lifecycle: ClientLifecycle;
  private readonly http: Client;
  /** Its own connection: the long poll holds the other. */
  private readonly sender: HttpSender;
  private readonly reader = new BodyReader(this);
  private readonly wire: PullWire;
  private readonly sockets = new OpenSockets();
  private path = '';
  private inFlight = false;
  /** The long poll held when the client went offline with `close`: its outcome, whenever it comes, is dropped. */
  private abandoned = false;
  private attemptStartNs = 0n;
  private closed: Promise<void> | undefined;

  constructor(private readonly ctx: ClientContext<LongPollingSettings>) {
    this.lifecycle = new ClientLifecycle(ctx, () => void this.closeResources());
    const timeoutMs = ctx.settings.timeoutMs;
    this.wire = ctx.dialect?.pull?.(ctx, true) ?? new ContractPullWire(ctx, '/long-poll', `&timeout=${timeoutMs}`);
    this.http = createHttpConnection({
      baseUrl: ctx.baseUrl,
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      meter: ctx.meter,
      sockets: this.sockets,
      headersTimeoutMs: timeoutMs + HOLD_MARGIN_MS,
      bodyTimeoutMs: timeoutMs + HOLD_MARGIN_MS,
      // Only the first connect means "connected"; a later reconnect is no proof of health
      // (a server that closes after every 500 must not reset the failure streak).
      onSocketConnected: () => {
        if (!this.lifecycle.isConnected) this.lifecycle.connected(this.attemptStartNs);
      },
    });
    this.sender = new HttpSender(ctx);
  }

  send(message: ChatMessage): Promise<SendReceipt> {
    return this.sender.send(message);
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    this.request();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.closeResources();
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    if (leaveConnection(how, this.sockets, this.reader.gate, this.inFlight)) this.abandoned = true;
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'close') this.sockets.dropEnded();
    if (how === 'silent') this.reader.gate.release();
    // A request a slow client deferred, or one refused while offline, goes now.
    if (how !== null && !this.inFlight && this.lifecycle.active) this.request();
  }

  answered(status: number, body: string, receivedNs: bigint, headers: Readonly<Record<string, unknown>>): void {
    this.inFlight = false;
    // Answered all the same, but the client had left: a request that brought it nothing.
    if (this.abandoned) this.ctx.sink.request(this.ctx.clientIndex, status >= 200 && status < 300 ? 'empty' : 'failed');
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    const { sink, clientIndex } = this.ctx;
    if (status >= 200 && status < 300) this.ctx.consume?.read(body.length, receivedNs);
    const answer = this.wire.answer(status, headers, body, receivedNs);
    if (answer === null) {
      sink.request(clientIndex, 'failed');
      return this.lifecycle.failed('request', statusDetail(this.path, status, body), isRetryableStatus(status), this.retry);
    }
    sink.request(clientIndex, answerOutcome(answer.delivered));
    this.lifecycle.succeeded();
    this.request();
  }

  broken(error: Error): void {
    this.inFlight = false;
    if (this.settledAbandoned() || !this.lifecycle.active) return;
    const kind = isConnectError(error) ? 'connect' : 'request';
    this.lifecycle.failed(kind, errorDetail(error), true, this.retry);
  }

  private readonly retry = (): void => this.request();

  /** An abandoned long poll ended: dropped; if the client came back meanwhile, the request its return skipped goes now. */
  private settledAbandoned(): boolean {
    if (!this.abandoned) return false;
    this.abandoned = false;
    if (this.lifecycle.active && this.lifecycle.offline === null) this.request();
    return true;
  }

  private request(): void {
    // One request at a time: a slow client's deferred request may come due after a return already sent one.
    if (this.inFlight) return;
    // Offline, a request waits for the return (comeBack asks again); a slow client asks again once it got through the last answer.
    if (this.lifecycle.offline !== null || this.ctx.consume?.defer(this.retry)) return;
    this.inFlight = true;
    this.attemptStartNs = process.hrtime.bigint();
    const request = this.wire.next();
    this.path = request.path;
    this.reader.get(this.http, request);
  }

  private closeResources(): Promise<void> {
    this.closed ??= Promise.all([destroyConnection(this.http), this.sender.close()]).then(() => undefined);
    return this.closed;
  }
}
