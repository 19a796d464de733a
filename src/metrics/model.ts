/**
 * Expected figures for the transports, from first principles, so a report can put "what the
 * transport should cost" beside "what it cost". Rates are events per second per client (λc),
 * durations in seconds, unless a name says otherwise. Derivations are written out in
 * docs/metrics.md; the comments here say what each formula leaves out.
 *
 * On loopback the push transports (SSE, WebSocket) need no model: one connect per client, zero
 * requests per delivery, a latency of processing only. Over an emulated link (scenario
 * `network`) they get one for their latency: the link's one-way delay and transmission time.
 */

/** The emulated link between a client and the server, as the models need it. */
export interface ClientLink {
  /** One-way delay client → server, ms. */
  upLatencyMs: number;
  /** One-way delay server → client, ms. */
  downLatencyMs: number;
  /** Server → client rate, bytes per second; null = not limited. */
  downBytesPerSecond: number | null;
}

/** Time `bytes` take to leave at the link's down rate, ms; 0 when the rate is not limited (or no link). */
function transmissionMs(bytes: number, link: ClientLink | null): number {
  return link?.downBytesPerSecond ? (bytes * 1_000) / link.downBytesPerSecond : 0;
}

/**
 * What the link adds to the latency of an event the server sends at once, ms: the down delay
 * plus the time its payload takes at the down rate. Jitter averages out (uniform ±j), except
 * that a delay never goes below the chunk before it, which adds a little; framing (tens of
 * bytes) is left out of the transmission.
 */
function downPathMs(link: ClientLink | null, payloadBytes: number): number {
  return (link?.downLatencyMs ?? 0) + transmissionMs(payloadBytes, link);
}

/** How events arrive in one client's stream (the scenario's `events.arrival`). */
export type ArrivalPattern = 'poisson' | 'uniform' | 'burst';

/** Who receives each event (the scenario's `events.audience`): one client, all, or a fraction. */
export type Audience = 'one' | 'all' | { fraction: number };

/**
 * λc, events per second per client. `one`: each event goes to one client of `clients`, so a
 * client sees 1/clients of the stream; `all`: every client sees the whole stream.
 */
export function perClientRate(totalRatePerS: number, clients: number, audience: Audience): number {
  if (audience === 'all') return totalRatePerS;
  if (audience === 'one') return clients > 0 ? totalRatePerS / clients : 0;
  return totalRatePerS * audience.fraction;
}

/**
 * Short polling, mean delivery latency, seconds: T/2 (plus the link's down path, added by
 * shortPollingFigures).
 *
 * A fixed-interval poll timer started at a random phase sees each event's arrival at a
 * uniformly random point of its interval, so the event waits U(0, T) for the next poll.
 * This holds for Poisson and evenly spaced streams alike. It leaves out everything but that
 * wait: network round trip, server and client processing, which on loopback add well under
 * a millisecond. Measured − model is therefore the transport's own overhead.
 */
export function shortPollingMeanLatencyS(intervalS: number): number {
  return intervalS / 2;
}

/**
 * Short polling, fraction of polls that return nothing, 0..1, or null when not modelled.
 *
 * - poisson: a poll is empty when no event arrived in the T seconds since the previous
 *   one: P(N(T) = 0) = e^(−λc·T).
 * - uniform (events every D = 1/λc seconds, a per-client evenly spaced stream): if T ≥ D
 *   every interval holds an event, so 0; otherwise each event lands in exactly one of the
 *   1/(λc·T) polls per event, so 1 − λc·T. With `audience: one` and many clients a client's
 *   share of an even global stream is random, hence close to Poisson: use 'poisson' then.
 * - burst: depends on the burst shape: null.
 */
export function shortPollingEmptyFraction(ratePerS: number, intervalS: number, arrival: ArrivalPattern): number | null {
  const expectedPerPoll = ratePerS * intervalS;
  if (arrival === 'poisson') return Math.exp(-expectedPerPoll);
  if (arrival === 'uniform') return Math.max(0, 1 - expectedPerPoll);
  return null;
}

/**
 * Short polling, requests per delivered event: 1/(λc·T) (a poll every T, λc·T events per
 * poll on average). Infinity when no event ever comes.
 */
export function shortPollingRequestsPerEvent(ratePerS: number, intervalS: number): number {
  return 1 / (ratePerS * intervalS);
}

/** Long polling under a Poisson stream: the per-cycle terms of the renewal argument. */
interface LongPollCycle {
  /** Mean requests per cycle (one answer that carries events, plus the timeouts before it). */
  requests: number;
  /** Mean events per cycle. */
  events: number;
  /** Mean empty answers (timeouts) per cycle. */
  timeouts: number;
}

/**
 * A cycle starts when an answer with events leaves the server. The next request reaches the
 * server `rtt` later; k ~ Poisson(x = λc·rtt) events arrived meanwhile.
 * - k ≥ 1: answered at once with k events (one request).
 * - k = 0 (probability e^(−x)): held until the next event, 1 event; the exponential wait W
 *   is cut into ⌊W/τ⌋ timeouts, E⌊W/τ⌋ = 1/(e^(λc·τ) − 1).
 * So requests = 1 + e^(−x)/(e^(y) − 1) and events = x + e^(−x), with y = λc·τ.
 * Left out: events arriving during the round trip that follows a timeout (rtt ≪ τ).
 */
function longPollCycle(ratePerS: number, rttS: number, timeoutS: number): LongPollCycle {
  const x = ratePerS * rttS;
  const y = ratePerS * timeoutS;
  const idle = Math.exp(-x);
  const timeouts = idle / Math.expm1(y);
  return { requests: 1 + timeouts, events: x + idle, timeouts };
}

/**
 * Long polling, requests per delivered event (Poisson stream), from `longPollCycle`:
 * (1 + e^(−x)/(e^(y) − 1)) / (x + e^(−x)), x = λc·rtt, y = λc·τ.
 * ≈ 1 for sparse streams with a long timeout; → 1/(λc·rtt) for dense streams (each answer
 * carries what arrived during the round trip); grows as 1/(λc·τ) when timeouts dominate.
 * `rttS` is answer sent → next request received by the server.
 */
export function longPollingRequestsPerEvent(ratePerS: number, rttS: number, timeoutS: number): number {
  const cycle = longPollCycle(ratePerS, rttS, timeoutS);
  return cycle.requests / cycle.events;
}

/** Long polling, fraction of answers that are empty (timeouts), 0..1 (Poisson stream). */
export function longPollingEmptyFraction(ratePerS: number, rttS: number, timeoutS: number): number {
  const cycle = longPollCycle(ratePerS, rttS, timeoutS);
  return cycle.timeouts / cycle.requests;
}

/**
 * The first-order approximation 1/(1 + λc·rtt) + 1/(λc·τ): simple to reason about, but it
 * over-counts both terms (an answer carries k events, not 1 + k; and a wait W holds ⌊W/τ⌋
 * timeouts, not W/τ). Kept to show the difference in docs and tests.
 */
export function longPollingRequestsPerEventApprox(ratePerS: number, rttS: number, timeoutS: number): number {
  return 1 / (1 + ratePerS * rttS) + 1 / (ratePerS * timeoutS);
}

/** Model values for the figures a report compares; null where the model has nothing to say. */
export interface ExpectedFigures {
  /** Mean delivery latency, ms. */
  meanLatencyMs: number | null;
  /** Empty responses / requests, 0..1. */
  emptyFraction: number | null;
  /** Requests per delivered event. */
  requestsPerDelivery: number | null;
  /** Bytes on the client's sockets (both ways) per delivered event. */
  bytesPerDelivery: number | null;
}

/**
 * The short-polling model's figures; burst arrivals are modelled for empty polls only.
 *
 * Over a link with one-way delays u (up) and d (down), mean latency = T/2 + d + s/B (payload s
 * at the down rate B): the polls reach the server every T, at a phase shifted by u, so an event
 * still waits U(0, T) there for the next one (u moves the phase, not the wait); the answer then
 * takes d and its transmission time to come back. The up delay does not appear.
 */
export function shortPollingFigures(input: {
  ratePerS: number;
  intervalS: number;
  arrival: ArrivalPattern;
  link?: ClientLink | null;
  payloadBytes?: number;
}): ExpectedFigures {
  const modelled = input.arrival !== 'burst';
  const linkMs = downPathMs(input.link ?? null, input.payloadBytes ?? 0);
  return {
    meanLatencyMs: modelled ? shortPollingMeanLatencyS(input.intervalS) * 1000 + linkMs : null,
    emptyFraction: shortPollingEmptyFraction(input.ratePerS, input.intervalS, input.arrival),
    requestsPerDelivery: modelled ? finiteOrNull(shortPollingRequestsPerEvent(input.ratePerS, input.intervalS)) : null,
    bytesPerDelivery: null,
  };
}

/**
 * Long polling, mean delivery latency, ms (Poisson stream): d + s/B + P(gap)·R/2.
 *
 * An event that finds a request held leaves at once and pays the down path d + s/B. After each
 * answer the next request is in flight for R = rtt (answer down, request up: d + u on a link);
 * an event arriving then waits for it, on average R/2 (Poisson arrivals are uniform in the
 * gap). Per cycle (longPollCycle) x = λc·R events fall in the gap and e^(−x) find a request
 * held, so P(gap) = x / (x + e^(−x)). Sparse streams: ≈ d + λc·R²/2 ≈ d; dense: → d + R/2.
 * Left out: gaps after timeouts (R ≪ τ) and the transmission of the batch an answer carries.
 */
function longPollingMeanLatencyMs(ratePerS: number, rttS: number, downPath: number): number {
  const x = ratePerS * rttS;
  const inGap = x / (x + Math.exp(-x));
  return downPath + inGap * ((rttS * 1_000) / 2);
}

/**
 * The long-polling model's figures; modelled for Poisson arrivals only. `rttS` is answer sent →
 * next request received by the server (over a link: the down and up delays plus the turn-around).
 */
export function longPollingFigures(input: {
  ratePerS: number;
  rttS: number;
  timeoutS: number;
  arrival: ArrivalPattern;
  link?: ClientLink | null;
  payloadBytes?: number;
}): ExpectedFigures {
  if (input.arrival !== 'poisson') return { meanLatencyMs: null, emptyFraction: null, requestsPerDelivery: null, bytesPerDelivery: null };
  return {
    // On loopback the latency is processing only, which the model does not predict; over a link, it is the path and the gaps.
    meanLatencyMs: input.link ? longPollingMeanLatencyMs(input.ratePerS, input.rttS, downPathMs(input.link, input.payloadBytes ?? 0)) : null,
    emptyFraction: longPollingEmptyFraction(input.ratePerS, input.rttS, input.timeoutS),
    requestsPerDelivery: finiteOrNull(longPollingRequestsPerEvent(input.ratePerS, input.rttS, input.timeoutS)),
    bytesPerDelivery: null,
  };
}

/**
 * A push transport's figures over a link: the event leaves the server at once on the held
 * connection, so mean latency = d + s/B, plus the wait behind earlier events still being
 * transmitted. With ρ = λc·s/B the share of time the client's down link is busy:
 * - poisson: an M/D/1 queue, mean wait ρ·(s/B) / (2(1 − ρ));
 * - uniform: evenly spaced events never queue while ρ < 1;
 * - burst: events queue behind the rest of their burst, which the per-client rate does not
 *   describe: not modelled (null); nor is a saturated link (ρ ≥ 1), whose latency grows
 *   without bound.
 * Requests and empty answers are not modelled (none in steady state). On loopback the latency is
 * processing only: null.
 *
 * Bytes per delivery are what one event costs on the socket (`wireBytesPerEvent`, its text in
 * the transport's framing: transports/wire-bytes.ts): a held connection carries nothing else in
 * steady state. Left out: heartbeats, reconnects, and the flow control of HTTP/2 (a WINDOW_UPDATE
 * up now and then, a few bytes per event). Without it (undefined) and without a link, no model.
 */
export function pushFigures(input: {
  link: ClientLink | null;
  payloadBytes: number;
  ratePerS: number;
  arrival: ArrivalPattern;
  wireBytesPerEvent?: number;
}): ExpectedFigures | null {
  const { link, payloadBytes, ratePerS, arrival, wireBytesPerEvent } = input;
  if (!link && wireBytesPerEvent === undefined) return null;
  const serviceMs = transmissionMs(payloadBytes, link);
  const busy = (ratePerS * serviceMs) / 1_000;
  const queueMs = arrival === 'poisson' ? (busy * serviceMs) / (2 * (1 - busy)) : 0;
  const modelled = link !== null && arrival !== 'burst' && busy < 1;
  return {
    meanLatencyMs: modelled ? downPathMs(link, payloadBytes) + queueMs : null,
    emptyFraction: null,
    requestsPerDelivery: null,
    bytesPerDelivery: wireBytesPerEvent ?? null,
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Clients that go offline now and then: mean online and offline times, ms (each spell exponential). */
export interface OfflinePattern {
  everyMs: number;
  forMs: number;
}

/** Steps of the numeric average over the window: the integrand is smooth, 200 steps are far below the noise. */
const OFFLINE_WINDOW_STEPS = 200;

/**
 * Mean latency when clients go offline now and then, ms: online events keep `onlineMeanMs`; an
 * event intended while its client is offline waits for the return and then `returnPathMs` (the
 * request up and the answer down that a returning client needs).
 *
 * Each client is a two-state chain (online spells of mean E, offline of mean F, both
 * exponential) that starts online at the start of the warm-up, so the chance of being offline
 * t ms later is p(t) = F/(E+F) · (1 − e^(−t(1/E + 1/F))): far below its steady value when the
 * warm-up is short against E. Offline spells are exponential, so the wait for the return from
 * any moment of one is F again, except that every spell ends with the window (the clients are
 * back for the drain): from t, F · (1 − e^(−(U−t)/F)) with U the window's end. The mean is the
 * average of both over the window's intended times.
 */
export function meanLatencyWithOfflineMs(
  onlineMeanMs: number,
  offline: OfflinePattern,
  window: { startMs: number; endMs: number },
  returnPathMs: number,
): number {
  const { everyMs: e, forMs: f } = offline;
  const steadyOffline = f / (e + f);
  const rate = 1 / e + 1 / f;
  let total = 0;
  for (let step = 0; step < OFFLINE_WINDOW_STEPS; step++) {
    const t = window.startMs + ((step + 0.5) / OFFLINE_WINDOW_STEPS) * (window.endMs - window.startMs);
    const offlineChance = steadyOffline * (1 - Math.exp(-t * rate));
    const waitMs = f * (1 - Math.exp(-(window.endMs - t) / f));
    total += (1 - offlineChance) * onlineMeanMs + offlineChance * (waitMs + returnPathMs);
  }
  return total / OFFLINE_WINDOW_STEPS;
}

/**
 * A transport's model with the clients' offline time added to its mean latency (the other
 * figures stay those of an always-online client, except bytes per delivery: not modelled). With
 * no latency model of its own (a push transport on loopback, whose latency is processing only)
 * the online part counts as 0.
 */
export function withOfflineTime(
  figures: ExpectedFigures | null,
  workload: { offline: OfflinePattern | null; warmupMs: number; durationMs: number; link: ClientLink | null; payloadBytes: number },
): ExpectedFigures | null {
  if (!workload.offline) return figures;
  // Every return connects again (a TLS handshake, for some): the bytes of a held connection no longer tell the cost.
  const online = { ...(figures ?? { meanLatencyMs: 0, emptyFraction: null, requestsPerDelivery: null }), bytesPerDelivery: null };
  if (online.meanLatencyMs === null) return online;
  const returnPathMs = (workload.link?.upLatencyMs ?? 0) + downPathMs(workload.link, workload.payloadBytes);
  const window = { startMs: workload.warmupMs, endMs: workload.warmupMs + workload.durationMs };
  return { ...online, meanLatencyMs: meanLatencyWithOfflineMs(online.meanLatencyMs, workload.offline, window, returnPathMs) };
}
