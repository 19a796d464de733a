import type { BrokerLink } from './broker-link.js';
import type { OfflineHow } from './offline.js';
import type { ConsumeGate } from './consume-gate.js';
import type { RetryPolicy } from './retry.js';
import type { SocketMeter } from './socket-meter.js';
import type { TimerHeap } from './timer-heap.js';
import type { Dialect } from './wire.js';

/**
 * Where a client reports what it sees; implemented by the runner's client process
 * (wired to the metrics DeliveryTracker). Calls are synchronous and must be cheap:
 * they sit on the hot path of every event.
 */
export interface ClientSink {
  /** One event. receivedNs = process.hrtime.bigint() when its chunk/frame arrived (taken
   * before parsing); intendedNs parsed from the event's "t"; payloadBytes = UTF-8 bytes of "p". */
  event(clientIndex: number, seq: number, intendedNs: bigint, payloadBytes: number, receivedNs: bigint): void;
  /** The server said seqs from..to (inclusive) can no longer be delivered. */
  gap(clientIndex: number, from: number, to: number): void;
  /** One HTTP request sent and answered (poll, long-poll, SSE or HTTP stream connect, WS handshake), whatever
   * the status: `events` = a 200 that brought events, or an SSE or HTTP stream / WS handshake that opened
   * (its events arrive later on the same request); `empty` = a 200 or 204 that brought none;
   * `failed` = any other status (a 5xx is a failure, never an empty answer); `sent` = a chat message
   * sent up (POST /send) and accepted. */
  request(clientIndex: number, outcome: RequestOutcome): void;
  /** One WebSocket frame. control = ping/pong (the pong reply to a server ping is counted 'up').
   * carriesEvent = a data frame whose event was just reported to `event`: a framed transport's
   * sink counts it in the window of its event (by intended time, as deliveries are), so frames
   * and deliveries agree; other frames count by wall clock. */
  frame(clientIndex: number, direction: 'up' | 'down', control: boolean, carriesEvent?: boolean): void;
  /** First successful connect of this client and how long that attempt took (ns), from the
   * attempt's start to: polling, the first poll answered 200; long polling, the TCP connect
   * (its first answer may take a whole hold); SSE and HTTP streaming, the stream's 200 headers; WebSocket, open. */
  connected(clientIndex: number, connectNs: bigint): void;
  /** Never silent: every refused/reset connection, bad status, malformed message, drop. */
  failure(clientIndex: number, kind: 'connect' | 'request' | 'protocol' | 'disconnect', detail: string): void;
  /** Polling, mode fixed only: a tick came while the previous poll was still in flight (or the
   * timer woke more than an interval late) and was skipped, see polling.ts. Optional. */
  skippedPoll?(clientIndex: number): void;
}

export type FailureKind = Parameters<ClientSink['failure']>[1];

export type RequestOutcome = 'events' | 'empty' | 'failed' | 'sent';

/** The outcome of a 200 poll answer that carried `delivered` events. */
export const answerOutcome = (delivered: number): RequestOutcome => (delivered === 0 ? 'empty' : 'events');

/** What one simulated client is given; `Settings` is its transport's settings type. */
export interface ClientContext<Settings> {
  /** e.g. http://127.0.0.1:34567 */
  baseUrl: string;
  /** Registered on the server already (POST /clients). */
  clientId: string;
  /** Index used in sink calls. */
  clientIndex: number;
  /** Source address, e.g. 127.0.0.2, to spread beyond one address's ephemeral ports. */
  localAddress?: string;
  settings: Settings;
  sink: ClientSink;
  /** Every socket this client opens is registered here (may be shared by many clients). */
  meter: SocketMeter;
  /** Seeded, in [0,1): start phase and retry jitter. */
  random: () => number;
  /** Scheduler for polls; defaults to the process-wide one (see timer-heap.ts). */
  timers?: TimerHeap;
  /** Reconnect/retry policy; defaults to defaultRetryPolicy (see retry.ts). */
  retry?: Partial<RetryPolicy>;
  /** A client that falls behind: it reads no faster than this gate lets it (see consume-gate.ts); absent, it reads at once. */
  consume?: ConsumeGate;
  /** The server speaks otherwise than the wire contract (a target adapter's dialect, see wire.ts); absent, the contract. */
  dialect?: Dialect;
  /** The reference server's TLS listener, for a secure transport (sse-h2): its base URL and the run's own CA, the only one trusted. */
  tls?: { baseUrl: string; ca: string };
  /** A broker transport's broker and the phase's names in it (broker-link.ts). */
  broker?: BrokerLink;
}

export interface TransportClient {
  /** Resolves once first connected; rejects (after reporting the failure) when giving up. */
  start(): Promise<void>;
  /** Closes everything: no timer, socket or listener left. Idempotent. */
  stop(): Promise<void>;
  /**
   * Go offline now (offline.ts says what `close` and `silent` do). A no-op when the client is
   * stopped or offline already; the runner calls it only after start() resolved.
   */
  goOffline(how: OfflineHow): void;
  /** Back online: resume the way a good client does, from its cursor (after=, Last-Event-ID). No-op when online. */
  comeBack(): void;
  /**
   * Sends a chat message up the way this transport's apps do (chat-send.ts): a WebSocket frame up
   * its own socket, else POST /send. Resolves with the server's receipt; rejects when it was not
   * accepted (the message then reaches nobody).
   */
  send(message: ChatMessage): Promise<SendReceipt>;
}

/** A chat message as a client sends it. */
export interface ChatMessage {
  /** The sender's room, e.g. r3. */
  room: string;
  /** Intended send time, ns (process.hrtime.bigint()). */
  intendedNs: bigint;
  /** The message text (its length in bytes is the payload size). */
  text: string;
}

/** The server's word on an accepted message. */
export interface SendReceipt {
  /** Clients the server fanned it out to. Count. */
  recipients: number;
  /** When the server published it, ns (process.hrtime.bigint() on this machine). */
  publishedAtNs: bigint;
}
