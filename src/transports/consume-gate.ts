import type { ClientContext, ClientSink } from './types.js';

/** How fast a slow client gets through what it reads: events, or bytes, per second. */
export interface ConsumeLimit {
  unit: 'events' | 'bytes';
  /** Events or bytes per second (> 0). */
  perSecond: number;
}

const NS_PER_S = 1e9;

interface WaitingEvent {
  clientIndex: number;
  seq: number;
  intendedNs: bigint;
  payloadBytes: number;
  /** When the client gets to it, ns. */
  atNs: bigint;
}

/**
 * A client that cannot keep up: it reads a chunk from its socket, then is busy "consuming" it
 * at `limit` before it reads again, as an app that handles each event in 1/rate would. One
 * virtual clock per client (`busyUntilNs`): work starts when it was read or when the previous
 * work is done, whichever is later, and takes units / rate. Hand-written because no library
 * paces a consumer rather than a producer, and the transports only need three calls:
 *
 * - `read(bytes, receivedNs)` when a chunk (an SSE body chunk, a WebSocket message, a poll
 *   answer) is taken off the socket, before it is parsed;
 * - the sink it wraps (`wrap`) hands each event on when the client gets to it, stamped so;
 * - `holdReading(pause, resume)` / `defer(next)` after the chunk: the socket is not read (SSE,
 *   WebSocket), or the next request not sent (polling, long polling), until the work is done.
 *
 * Latency of a slow client is "the client got to it": an event waiting in a chunk behind
 * others is stamped when its turn comes (event k of a chunk read idle at t: t + k / rate), not
 * when its chunk was read; a client that keeps up is stamped at the read, as any other.
 * With a byte rate, an event's place in its chunk is estimated from the payload bytes before
 * it (framing is not known per event), so the stamp is early by at most the framing's share.
 */
export class ConsumeGate {
  private busyUntilNs = 0n;
  /** The chunk being consumed (byte rate): when its work starts and ends, and payload stamped so far. */
  private chunkReceivedNs = -1n;
  private chunkStartNs = 0n;
  private chunkEndNs = 0n;
  private chunkPayloadBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Read but not got to yet, in order (their stamps never decrease). */
  private readonly waiting: WaitingEvent[] = [];
  private handOnTimer: NodeJS.Timeout | undefined;
  private target: ClientSink | undefined;

  constructor(
    readonly limit: ConsumeLimit,
    /** Monotonic clock, ns (injected by tests). */
    private readonly now: () => bigint = () => process.hrtime.bigint(),
  ) {
    if (!(limit.perSecond > 0)) throw new RangeError(`consume rate must be above 0, got ${limit.perSecond}`);
  }

  /** A chunk of `bytes` was read from the socket at `receivedNs`. */
  read(bytes: number, receivedNs: bigint): void {
    if (this.limit.unit === 'events') return;
    this.beginChunk(receivedNs, bytes);
  }

  /** When the client gets to an event read at `receivedNs` (ns); advances the clock. */
  stamp(receivedNs: bigint, payloadBytes: number): bigint {
    if (this.limit.unit === 'events') {
      const startNs = receivedNs > this.busyUntilNs ? receivedNs : this.busyUntilNs;
      this.busyUntilNs = startNs + this.costNs(1);
      return startNs;
    }
    // An event without its chunk's read() (a transport without the hook) is a chunk of its own.
    if (receivedNs !== this.chunkReceivedNs) this.beginChunk(receivedNs, payloadBytes);
    const atNs = this.chunkStartNs + this.costNs(this.chunkPayloadBytes);
    this.chunkPayloadBytes += payloadBytes;
    return atNs < this.chunkEndNs ? atNs : this.chunkEndNs;
  }

  /** How long the client is still busy with what it read, ms (0: it may read now). */
  holdMs(): number {
    const leftNs = this.busyUntilNs - this.now();
    return leftNs > 0n ? Number(leftNs) / 1e6 : 0;
  }

  /** SSE, HTTP streaming, WebSocket: stop reading the socket until the client is done (TCP backpressure then reaches the server). */
  holdReading(pause: () => void, resume: () => void): void {
    const holdMs = this.holdMs();
    if (holdMs <= 0 || this.stopped) return;
    pause();
    this.schedule(holdMs, resume);
  }

  /** Polling, long polling: true when `next` (the next request) was put off until the client is done. */
  defer(next: () => void): boolean {
    const holdMs = this.holdMs();
    if (holdMs <= 0 || this.stopped) return false;
    this.schedule(holdMs, next);
    return true;
  }

  /**
   * A sink that hands each event on when the client gets to it, stamped with that time: at
   * once when it keeps up, later when it waits behind others. Events still waiting when the
   * gate stops never reach the sink: the client never got to them, and they count as lost.
   */
  wrap(sink: ClientSink): ClientSink {
    // Forwarded one by one: a sink may be a class instance, whose methods a spread would miss.
    const skippedPoll = sink.skippedPoll?.bind(sink);
    this.target = sink;
    return {
      event: (clientIndex, seq, intendedNs, payloadBytes, receivedNs) => {
        const atNs = this.stamp(receivedNs, payloadBytes);
        if (this.waiting.length === 0 && atNs <= this.now()) return sink.event(clientIndex, seq, intendedNs, payloadBytes, atNs);
        this.waiting.push({ clientIndex, seq, intendedNs, payloadBytes, atNs });
        if (this.waiting.length === 1) this.handOnLater();
      },
      gap: (clientIndex, from, to) => sink.gap(clientIndex, from, to),
      request: (clientIndex, outcome) => sink.request(clientIndex, outcome),
      frame: (clientIndex, direction, control, carriesEvent) => sink.frame(clientIndex, direction, control, carriesEvent),
      connected: (clientIndex, connectNs) => sink.connected(clientIndex, connectNs),
      failure: (clientIndex, kind, detail) => sink.failure(clientIndex, kind, detail),
      ...(skippedPoll ? { skippedPoll } : {}),
    };
  }

  /** Events the client has read but not got to yet. */
  get waitingEvents(): number {
    return this.waiting.length;
  }

  /** No timer left; nothing is put off any more. Idempotent. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.handOnTimer);
    this.timer = this.handOnTimer = undefined;
  }

  /** Hands on the waiting events that are due, then sleeps until the next one is. */
  private handOnLater(): void {
    const first = this.waiting[0];
    if (first === undefined || this.stopped) return;
    const waitMs = Number(first.atNs - this.now()) / 1e6;
    this.handOnTimer = setTimeout(
      () => {
        this.handOnTimer = undefined;
        if (this.stopped) return;
        const nowNs = this.now();
        let due = 0;
        while (due < this.waiting.length && this.waiting[due]!.atNs <= nowNs) due++;
        for (const e of this.waiting.splice(0, due)) this.target?.event(e.clientIndex, e.seq, e.intendedNs, e.payloadBytes, e.atNs);
        this.handOnLater();
      },
      Math.max(0, Math.ceil(waitMs)),
    );
  }

  private beginChunk(receivedNs: bigint, bytes: number): void {
    this.chunkReceivedNs = receivedNs;
    this.chunkStartNs = receivedNs > this.busyUntilNs ? receivedNs : this.busyUntilNs;
    this.chunkEndNs = this.chunkStartNs + this.costNs(bytes);
    this.chunkPayloadBytes = 0;
    this.busyUntilNs = this.chunkEndNs;
  }

  private costNs(units: number): bigint {
    return BigInt(Math.round((units * NS_PER_S) / this.limit.perSecond));
  }

  /** One pending action at a time: a later hold replaces the earlier (it ends later). */
  private schedule(holdMs: number, action: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) action();
    }, Math.ceil(holdMs));
  }
}

/** The context of a client that consumes no faster than `limit`: its gate, and its sink behind the gate. */
export function withConsumeLimit<Settings>(ctx: ClientContext<Settings>, limit: ConsumeLimit): ClientContext<Settings> {
  const consume = new ConsumeGate(limit);
  return { ...ctx, sink: consume.wrap(ctx.sink), consume };
}
