import { LatencyHistogram } from './histogram.js';

/**
 * The per-second time series of one transport's phase, assembled from what every client
 * process and the server sampler reported for each second. Seconds are counted from the
 * series origin (the clients' ramp start) on the shared monotonic clock, so the seconds of
 * every process line up without any clock exchange.
 */

/** Length of one sample of the series, ms. */
export const SERIES_INTERVAL_MS = 1_000;
export const SERIES_INTERVAL_NS = BigInt(SERIES_INTERVAL_MS) * 1_000_000n;

/** The index of the second that `atNs` falls in, counted from `originNs` (negative before it). */
export function secondIndex(atNs: bigint, originNs: bigint): number {
  const since = atNs - originNs;
  const index = Number(since / SERIES_INTERVAL_NS);
  // bigint division truncates toward zero; a time before the origin belongs to the second before.
  return since < 0n && since % SERIES_INTERVAL_NS !== 0n ? index - 1 : index;
}

/**
 * One client process's figures for one second, as it crosses the process boundary. A process
 * may send several parts for the same second (an event stamped just before a second closed but
 * handled after): parts add. Gauges (`connected`, `elu`) come only with the part that closed the
 * second, so adding parts never counts them twice.
 */
export interface ClientSecond {
  /** Second index from the series origin. */
  s: number;
  /** First sightings that arrived in this second, whatever their intended time. Count. */
  deliveries: number;
  /** Of those, events intended inside the measured window (they sum to events.delivered). Count. */
  counted: number;
  /** Latency (arrival − intended publish time, ns values) of those deliveries, compressed base64. */
  latency: string;
  /** Requests sent in this second. Count. */
  requests: number;
  /** Bytes read and written on the client sockets in this second, bytes. */
  bytesDown: number;
  bytesUp: number;
  /** Failures in this second by kind (connect, request, protocol, disconnect). Count. */
  failures: Record<string, number>;
  /** Gauge at the second's end: clients connected now (connects minus drops). Count. */
  connected?: number;
  /** The process's event-loop utilisation over this second, 0..1. */
  elu?: number;
}

/** The server's figures for one second (from its /stats); null when it could not tell. */
export interface ServerSecond {
  s: number;
  /** CPU time per wall time over the second, % of one core. */
  cpuPct: number | null;
  /** Resident set size at the second's end, bytes. */
  rssBytes: number | null;
  /** Event-loop utilisation over the second, 0..1. */
  elu: number | null;
}

export type PhaseName = 'connect' | 'warm-up' | 'measure' | 'drain' | 'disconnect';

/** A step of the phase, ms from the series origin (`endMs` exclusive). */
export interface PhaseSpan {
  name: PhaseName;
  startMs: number;
  endMs: number;
}

/** The assembled series, one array entry per second (index i covers [i, i+1) × intervalMs from the origin). */
export interface TransportSeries {
  intervalMs: number;
  phases: PhaseSpan[];
  deliveries: number[];
  counted: number[];
  latencyP50Ms: Array<number | null>;
  latencyP99Ms: Array<number | null>;
  latencyMaxMs: Array<number | null>;
  connected: Array<number | null>;
  requests: number[];
  bytesDown: number[];
  bytesUp: number[];
  clientEluMax: Array<number | null>;
  serverCpuPct: Array<number | null>;
  serverRssBytes: Array<number | null>;
  serverElu: Array<number | null>;
  /** Failures per second by kind; only kinds that occurred. */
  failures: Record<string, number[]>;
}

interface Slot {
  deliveries: number;
  counted: number;
  /** The parts' encoded histograms, decoded one second at a time so that one histogram serves them all. */
  latency: string[];
  requests: number;
  bytesDown: number;
  bytesUp: number;
  failures: Record<string, number>;
  connected: number | null;
  elu: number | null;
}

function emptySlot(): Slot {
  return { deliveries: 0, counted: 0, latency: [], requests: 0, bytesDown: 0, bytesUp: 0, failures: {}, connected: null, elu: null };
}

/**
 * Adds the parts of every process second by second (histograms bucket by bucket: exact) and
 * lays them out as arrays. Every second from 0 to the last phase's end (or the last second
 * anything was reported in, if later) has an entry: a second without deliveries has 0 of them
 * and null latency. Parts before the origin (none are expected) are folded into second 0
 * rather than dropped.
 */
export function assembleSeries(parts: readonly ClientSecond[], server: readonly ServerSecond[], phases: readonly PhaseSpan[]): TransportSeries {
  const lastPhaseEndMs = phases.reduce((end, phase) => Math.max(end, phase.endMs), 0);
  let length = Math.ceil(lastPhaseEndMs / SERIES_INTERVAL_MS);
  for (const part of parts) length = Math.max(length, part.s + 1);
  for (const sample of server) length = Math.max(length, sample.s + 1);
  const slots = Array.from({ length }, emptySlot);
  for (const part of parts) addPart(slots[Math.max(0, part.s)]!, part);
  const serverAt = new Map(server.filter((sample) => sample.s >= 0).map((sample) => [sample.s, sample]));
  const scratch = new LatencyHistogram();
  const latency = slots.map((slot) => {
    if (slot.latency.length === 0) return undefined;
    scratch.reset();
    for (const encoded of slot.latency) scratch.addEncoded(encoded);
    return scratch.summary();
  });
  const failureKinds = [...new Set(slots.flatMap((slot) => Object.keys(slot.failures)))].sort();
  return {
    intervalMs: SERIES_INTERVAL_MS,
    phases: phases.map((phase) => ({ ...phase })),
    deliveries: slots.map((slot) => slot.deliveries),
    counted: slots.map((slot) => slot.counted),
    latencyP50Ms: latency.map((summary) => summary?.p50 ?? null),
    latencyP99Ms: latency.map((summary) => summary?.p99 ?? null),
    latencyMaxMs: latency.map((summary) => summary?.max ?? null),
    connected: slots.map((slot) => slot.connected),
    requests: slots.map((slot) => slot.requests),
    bytesDown: slots.map((slot) => slot.bytesDown),
    bytesUp: slots.map((slot) => slot.bytesUp),
    clientEluMax: slots.map((slot) => (slot.elu === null ? null : round(slot.elu, 3))),
    serverCpuPct: slots.map((_, s) => roundOrNull(serverAt.get(s)?.cpuPct ?? null, 1)),
    serverRssBytes: slots.map((_, s) => serverAt.get(s)?.rssBytes ?? null),
    serverElu: slots.map((_, s) => roundOrNull(serverAt.get(s)?.elu ?? null, 3)),
    failures: Object.fromEntries(failureKinds.map((kind) => [kind, slots.map((slot) => slot.failures[kind] ?? 0)])),
  };
}

function addPart(slot: Slot, part: ClientSecond): void {
  slot.deliveries += part.deliveries;
  slot.counted += part.counted;
  slot.requests += part.requests;
  slot.bytesDown += part.bytesDown;
  slot.bytesUp += part.bytesUp;
  if (part.deliveries > 0) slot.latency.push(part.latency);
  for (const [kind, n] of Object.entries(part.failures)) slot.failures[kind] = (slot.failures[kind] ?? 0) + n;
  if (part.connected !== undefined) slot.connected = (slot.connected ?? 0) + part.connected;
  if (part.elu !== undefined) slot.elu = Math.max(slot.elu ?? 0, part.elu);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

/** The phase's steps as spans in ms from the origin: each lasts until the next one starts, the last until `endNs`. */
export function phaseSpans(originNs: bigint, starts: ReadonlyArray<readonly [PhaseName, bigint]>, endNs: bigint): PhaseSpan[] {
  const msOf = (ns: bigint) => Math.max(0, Math.round(Number(ns - originNs) / 1e5) / 10);
  return starts.map(([name, atNs], i) => ({ name, startMs: msOf(atNs), endMs: msOf(starts[i + 1]?.[1] ?? endNs) }));
}
