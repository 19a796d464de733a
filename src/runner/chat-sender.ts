/**
 * The senders of a chat, in a client process: every message of the seeded schedule whose sender
 * is one of this process's clients goes up through that client's transport at its intended time
 * (TransportClient.send). Each process rebuilds the same schedule, so nobody has to hand the
 * messages out, and the orchestrator counts what was due from the same schedule.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram, mergeEncoded } from '../metrics/histogram.js';
import { roomName, roomOf } from '../scenario/chat-field.js';
import type { TransportClient } from '../transports/types.js';
import { offsetNs } from './offline-schedule.js';
import { publishSchedule, type ScheduleBasis, type ScheduledEvent } from './schedule.js';

/** How long stop() waits for the answers of messages still in flight (the transports time a send out after 10 s). */
const SETTLE_TIMEOUT_MS = 11_000;

/** What the senders of one process saw of the window's messages (those intended inside it). Serialisable. */
export interface ChatSendReport {
  /** Messages the server accepted. Count. */
  answered: number;
  /** Recipients the server said it fanned them out to. Count. */
  claimed: number;
  /** Recipients the schedule addressed through them (compare with `claimed`). Count. */
  expectedAnswered: number;
  /** Send lag (server publish − intended send time) of each accepted message, ns values, encoded histogram. */
  lag: string;
  /** The first refusal or failure, for the warning. */
  firstError: string | null;
}

export function emptyChatSendReport(): ChatSendReport {
  return { answered: 0, claimed: 0, expectedAnswered: 0, lag: new LatencyHistogram().encode(), firstError: null };
}

/** Adds two processes' reports (their senders are disjoint). */
export function mergeChatSendReports(a: ChatSendReport, b: ChatSendReport): ChatSendReport {
  return {
    answered: a.answered + b.answered,
    claimed: a.claimed + b.claimed,
    expectedAnswered: a.expectedAnswered + b.expectedAnswered,
    lag: mergeEncoded(a.lag, b.lag),
    firstError: a.firstError ?? b.firstError,
  };
}

export interface ChatSenderOptions {
  /** The process's clients, by local index. */
  clients: readonly TransportClient[];
  /** The global index of clients[0]. */
  firstIndex: number;
  /** What the schedule is built from; its events' audience is the room kind. */
  basis: ScheduleBasis;
  /** The schedule's end, ms after its zero. */
  untilMs: number;
}

export class ChatSender {
  private readonly stopped = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lag = new LatencyHistogram();
  private readonly report = emptyChatSendReport();
  private loop: Promise<void> | undefined;
  private readonly text: string;
  private readonly rooms: number;

  constructor(private readonly options: ChatSenderOptions) {
    const { audience, payloadBytes } = options.basis.events;
    if (audience.kind !== 'room') throw new Error('a chat sender needs a schedule of room messages');
    this.rooms = audience.rooms;
    // One byte per character: the message's length is its payload size on the wire.
    this.text = 'x'.repeat(payloadBytes);
  }

  /** Sends from the schedule's zero on; only messages intended in [window.startNs, window.endNs) are counted. */
  start(zeroNs: bigint, window: { startNs: bigint; endNs: bigint }): void {
    this.loop = this.run(zeroNs, window);
  }

  /** Stops sending, waits (boundedly) for the answers still due, and reports. */
  async stop(): Promise<ChatSendReport> {
    this.stopped.abort();
    await this.loop;
    await Promise.race([Promise.allSettled(this.inFlight), sleep(SETTLE_TIMEOUT_MS)]);
    return { ...this.report, lag: this.lag.encode() };
  }

  private async run(zeroNs: bigint, window: { startNs: bigint; endNs: bigint }): Promise<void> {
    const { clients, firstIndex, basis, untilMs } = this.options;
    const signal = this.stopped.signal;
    for (const event of publishSchedule(basis, untilMs)) {
      const local = (event.from ?? -1) - firstIndex;
      const client = clients[local];
      if (client === undefined || local < 0) continue;
      const intendedNs = zeroNs + BigInt(offsetNs(event.atMs));
      // Never before its time (a timer may fire early); a late loop sends what is due at once, and latency counts from the intended time.
      for (let now = process.hrtime.bigint(); now < intendedNs && !signal.aborted; now = process.hrtime.bigint()) {
        await sleep(Math.max(1, Number(intendedNs - now) / 1e6), undefined, { signal }).catch(() => undefined);
      }
      if (signal.aborted) return;
      const counted = intendedNs >= window.startNs && intendedNs < window.endNs;
      const sent: Promise<void> = this.sendOne(client, event, intendedNs, counted).finally(() => this.inFlight.delete(sent));
      this.inFlight.add(sent);
    }
  }

  private async sendOne(client: TransportClient, event: ScheduledEvent, intendedNs: bigint, counted: boolean): Promise<void> {
    const room = roomName(roomOf(event.from!, this.rooms));
    try {
      const receipt = await client.send({ room, intendedNs, text: this.text });
      if (!counted) return;
      this.report.answered++;
      this.report.claimed += receipt.recipients;
      this.report.expectedAnswered += event.to === 'all' ? 0 : event.to.length;
      this.lag.record(receipt.publishedAtNs - intendedNs);
    } catch (error) {
      if (counted) this.report.firstError ??= (error as Error).message;
    }
  }
}
