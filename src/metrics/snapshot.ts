import {
  addProcessUsage,
  sumFields,
  newProcessUsage,
  newRequestCounts,
  newWireBytes,
  type ProcessUsage,
  type RequestCounts,
  type WireBytes,
} from './counters.js';
import type { DeliveryCounts, DeliveryTracker } from './deliveries.js';
import { LatencyHistogram, mergeEncoded } from './histogram.js';

/**
 * Everything one client process reports for one transport phase, in a form that crosses a
 * process boundary as JSON (histograms encoded, no bigint) and merges exactly.
 */
export interface ClientSnapshot {
  /** Simulated clients covered. Count. */
  clients: number;
  /** Delivery accounting of the measured window. */
  deliveries: DeliveryCounts;
  /** Requests, empty responses, frames, connection trouble. */
  requests: RequestCounts;
  /** Wire bytes, window and phase. */
  bytes: WireBytes;
  /** Delivery latency histogram (ns values), compressed base64 (`LatencyHistogram.encode`). */
  latency: string;
  /** Latency values clamped into the histogram's range (see `LatencyHistogram.record`). Count. */
  latencyClamped: number;
  /** Connect-time histogram (ns values: request sent → connection usable), compressed base64. */
  connect: string;
  /** Resource use of the reporting process(es). */
  usage: ProcessUsage;
}

/** The live recorders of one client process, as `snapshotOf` reads them. */
export interface SnapshotSources {
  tracker: DeliveryTracker;
  requests: RequestCounts;
  bytes: WireBytes;
  connect: LatencyHistogram;
  usage: ProcessUsage;
}

/** Freezes the live recorders of a process into a snapshot (copies; the sources stay live). */
export function snapshotOf(sources: SnapshotSources): ClientSnapshot {
  return {
    clients: sources.tracker.clientCount,
    deliveries: sources.tracker.counts(),
    requests: { ...sources.requests },
    bytes: { ...sources.bytes },
    latency: sources.tracker.latency.encode(),
    latencyClamped: sources.tracker.latency.clampedCount,
    connect: sources.connect.encode(),
    usage: { ...sources.usage },
  };
}

/** A snapshot of nothing: the identity of `mergeSnapshots`. */
export function emptySnapshot(): ClientSnapshot {
  const emptyHistogram = new LatencyHistogram().encode();
  return {
    clients: 0,
    deliveries: { delivered: 0, duplicated: 0, reordered: 0, gapReported: 0, payloadBytes: 0 },
    requests: newRequestCounts(),
    bytes: newWireBytes(),
    latency: emptyHistogram,
    latencyClamped: 0,
    connect: emptyHistogram,
    usage: newProcessUsage(),
  };
}

/**
 * Merges the snapshots of two disjoint sets of clients. Pure and exact: counts add,
 * histograms add bucket by bucket, so merging any split of the clients gives what one
 * process seeing them all would have reported.
 */
export function mergeSnapshots(a: ClientSnapshot, b: ClientSnapshot): ClientSnapshot {
  return {
    clients: a.clients + b.clients,
    deliveries: addDeliveryCounts(a.deliveries, b.deliveries),
    requests: sumFields(a.requests, b.requests),
    bytes: sumFields(a.bytes, b.bytes),
    latency: mergeEncoded(a.latency, b.latency),
    latencyClamped: a.latencyClamped + b.latencyClamped,
    connect: mergeEncoded(a.connect, b.connect),
    usage: addProcessUsage(a.usage, b.usage),
  };
}

/** Merges any number of snapshots (empty list → `emptySnapshot()`). */
export function mergeAllSnapshots(snapshots: readonly ClientSnapshot[]): ClientSnapshot {
  return snapshots.reduce(mergeSnapshots, emptySnapshot());
}

const addDeliveryCounts: (a: DeliveryCounts, b: DeliveryCounts) => DeliveryCounts = sumFields;
