/**
 * The paced publisher: sends every event that is due on each wake-up, as one batch, so a
 * late timer (~1 ms granularity here) delays events but never thins the schedule. Each event
 * carries its intended time; latency is measured from it, so a publisher that falls behind
 * shows up as publish lag and latency, never as silently missing samples.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../metrics/histogram.js';
import { clientId } from './client-ids.js';
import type { PublishAnswer, PublishSpec, TargetControl } from '../targets/control.js';
import { offsetNs, type OfflineBook } from './offline-schedule.js';
import type { ScheduledEvent } from './schedule.js';
import { emptyChatSendReport, type ChatSendReport } from './chat-sender.js';

/** Events per publish request; larger batches would only add latency to the first of them. */
const MAX_BATCH_EVENTS = 500;
/** Recipients listed per request, so that fractional audiences of big fleets stay under the body limit. */
const MAX_BATCH_RECIPIENTS = 50_000;
/**
 * Events appended to client logs per request ("all" counts every client): half the reference
 * server's maxFanOutPerRequest, so that a batch never asks for more work than it does at once.
 */
const MAX_BATCH_FAN_OUT = 500_000;
/** Publish requests outstanding at once; the control API's pool has as many connections. */
const MAX_IN_FLIGHT = 4;

export interface PublishWindow {
  /** Schedule time zero, ns. */
  startNs: bigint;
  /** Measured window of intended times [windowStartNs, windowEndNs), ns. */
  windowStartNs: bigint;
  windowEndNs: bigint;
}

/** What the publisher saw of the measured window. */
export interface PublishOutcome {
  /** Events intended inside the window. */
  published: number;
  /**
   * Deliveries the clients should see: each event's recipients as the seeded schedule addressed
   * them (all registered clients, or the listed ones). Never the server's word: a server that
   * lost registrations or under-reports must not shrink what counts as lost.
   */
  expected: number;
  /** Of `expected`, the deliveries due to the slow clients (clients.slow), from the same schedule: their loss is exact. */
  expectedSlow: number;
  /** Recipients the server said it fanned the window's answered events out to. */
  claimed: number;
  /** Deliveries the schedule addressed through events the server answered (compare with `claimed`). */
  expectedAnswered: number;
  /** Events of the window whose publish request failed (counted in expected, so they show as lost). */
  failed: number;
  /** Of `expected`, the deliveries intended while their recipient was offline (0 without offline clients). */
  expectedOffline: number;
  /** Publish lag (server fan-out − intended) of the window's events, ns. */
  lag: LatencyHistogram;
  /** The first failure, for the warning. */
  firstError?: string;
}

export interface PublisherOptions {
  api: TargetControl;
  schedule: Iterable<ScheduledEvent>;
  window: PublishWindow;
  payloadBytes: number;
  clientCount: number;
  /** Who is offline when, to count `expectedOffline`; absent when clients never go offline. */
  offline?: OfflineBook;
  /** Global indices of the slow clients, whose expected deliveries are counted apart. */
  slowClients?: ReadonlySet<number>;
  /** Stops the loop early (Ctrl-C). */
  signal?: AbortSignal;
  /** The server's clock minus ours, ns, when it runs on another machine (run --segment): its publishedAt is on its own clock. */
  serverOffsetNs?: bigint;
}

/** The same rounding as the offline schedule's, so both sides agree on which events fell in an episode. */
const toNs = (ms: number): bigint => BigInt(offsetNs(ms));

/** Nothing published yet. */
export function emptyPublishOutcome(): PublishOutcome {
  return { published: 0, expected: 0, expectedSlow: 0, claimed: 0, expectedAnswered: 0, failed: 0, expectedOffline: 0, lag: new LatencyHistogram() };
}

export async function runPublisher(options: PublisherOptions): Promise<PublishOutcome> {
  const { window, signal } = options;
  const outcome = emptyPublishOutcome();
  const events = options.schedule[Symbol.iterator]();
  const inFlight = new Set<Promise<void>>();
  let next = events.next();
  let index = 0;
  while (!next.done && !signal?.aborted) {
    const batch: Array<{ intendedNs: bigint; event: ScheduledEvent; index: number }> = [];
    let listed = 0;
    let fanOut = 0;
    const now = process.hrtime.bigint();
    while (!next.done && batch.length < MAX_BATCH_EVENTS) {
      const event = next.value;
      const intendedNs = window.startNs + toNs(event.atMs);
      if (intendedNs > now) break;
      const eventListed = event.to === 'all' ? 0 : event.to.length;
      const eventFanOut = event.to === 'all' ? options.clientCount : event.to.length;
      if (batch.length > 0 && (listed + eventListed > MAX_BATCH_RECIPIENTS || fanOut + eventFanOut > MAX_BATCH_FAN_OUT)) break;
      batch.push({ intendedNs, event, index: index++ });
      listed += eventListed;
      fanOut += eventFanOut;
      next = events.next();
    }
    if (batch.length > 0) {
      // Not awaited: a slow answer must not hold back the events due after it (head-of-line
      // blocking was most of the publish lag). A few requests in flight at most, so that a
      // server that cannot keep up still slows the publisher down instead of queueing without end.
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const sent: Promise<void> = publishBatch(options, batch, outcome).finally(() => inFlight.delete(sent));
      inFlight.add(sent);
    } else if (!next.done) {
      const waitMs = Number(window.startNs + toNs(next.value.atMs) - process.hrtime.bigint()) / 1e6;
      await sleep(Math.max(0, waitMs), undefined, { signal }).catch(() => undefined);
    }
  }
  await Promise.all(inFlight);
  return outcome;
}

async function publishBatch(
  options: PublisherOptions,
  batch: Array<{ intendedNs: bigint; event: ScheduledEvent; index: number }>,
  outcome: PublishOutcome,
): Promise<void> {
  const specs: PublishSpec[] = batch.map(({ intendedNs, event, index }) => ({
    index,
    to: event.to === 'all' ? 'all' : event.to.map(clientId),
    intended: intendedNs.toString(),
    payloadBytes: options.payloadBytes,
  }));
  let answers: PublishAnswer[] = [];
  try {
    answers = await options.api.publish(specs);
  } catch (error) {
    outcome.firstError ??= (error as Error).message;
  }
  batch.forEach(({ intendedNs, event }, i) => {
    if (!countIntended(outcome, options, event, intendedNs)) return;
    const answer = answers[i];
    if (!answer) {
      // No answer for this event (the request failed, or the server answered fewer events than
      // it was sent): it counts as published and expected, so its deliveries show as lost.
      outcome.failed++;
      outcome.firstError ??= `the server answered ${answers.length} of ${batch.length} events of a publish request`;
      return;
    }
    outcome.expectedAnswered += addressed(options, event);
    outcome.claimed += answer.recipients;
    outcome.lag.record(BigInt(answer.publishedAt) - (options.serverOffsetNs ?? 0n) - intendedNs);
  });
}

/** Deliveries the schedule addresses through one event. */
const addressed = (options: Pick<PublisherOptions, 'clientCount'>, event: ScheduledEvent) => (event.to === 'all' ? options.clientCount : event.to.length);

/**
 * Counts an event as intended, when it falls in the window: published, the deliveries it is
 * expected to make, and the share of them due to offline and to slow clients. Returns whether it
 * counted.
 */
function countIntended(outcome: PublishOutcome, options: Omit<PublisherOptions, 'api' | 'signal'>, event: ScheduledEvent, intendedNs: bigint): boolean {
  const { window, slowClients: slow } = options;
  if (intendedNs < window.windowStartNs || intendedNs >= window.windowEndNs) return false;
  outcome.published++;
  outcome.expected += addressed(options, event);
  if (options.offline) outcome.expectedOffline += options.offline.offlineRecipients(offsetNs(event.atMs), event.to);
  if (slow) outcome.expectedSlow += event.to === 'all' ? slow.size : event.to.filter((i) => slow.has(i)).length;
  return true;
}

/**
 * A chat's side of the publisher: the clients send the messages (chat-sender.ts), so only what
 * the schedule makes due is counted here, at once, from the same seeded schedule.
 */
export function tallySchedule(options: Omit<PublisherOptions, 'api' | 'signal'>): PublishOutcome {
  const outcome = emptyPublishOutcome();
  for (const event of options.schedule) countIntended(outcome, options, event, options.window.startNs + toNs(event.atMs));
  return outcome;
}

/**
 * The schedule's count with what the senders saw: a message of the window that no sender
 * reported as accepted (refused, timed out, or its process died) failed, and its deliveries count
 * as lost.
 */
export function withClientSends(tally: PublishOutcome, sends: ChatSendReport | undefined): PublishOutcome {
  const report = sends ?? emptyChatSendReport();
  const lag = new LatencyHistogram();
  lag.addEncoded(report.lag);
  const failed = Math.max(0, tally.published - report.answered);
  const firstError = report.firstError ?? (failed > 0 ? `${failed} messages were never accepted` : undefined);
  return { ...tally, claimed: report.claimed, expectedAnswered: report.expectedAnswered, failed, lag, ...(firstError === undefined ? {} : { firstError }) };
}
