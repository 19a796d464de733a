/**
 * One segment of a run spread over several machines (`run --segment I/N`): which clients it
 * holds and which of the schedule's deliveries are its own. The split follows from the scenario
 * alone, so every segment computes the same whole and no two segments hold the same client.
 */
import type { SegmentTransport } from '../report/model.js';
import type { ScheduledEvent } from './schedule.js';

export interface SegmentSpec {
  /** This segment, 1 … count. */
  index: number;
  /** Segments of the run. */
  count: number;
}

/** The fleet's clients first … first + count − 1 (global indices). */
export interface ClientRange {
  first: number;
  count: number;
}

const SEGMENT_FORMAT = /^(\d{1,6})\/(\d{1,6})$/;

/** `I/N` with 1 ≤ I ≤ N; a string saying what is wrong and how to fix it otherwise. */
export function parseSegment(text: string): SegmentSpec | string {
  const match = SEGMENT_FORMAT.exec(text.trim());
  const fix = 'write I/N with 1 ≤ I ≤ N, e.g. --segment 2/4 for the second of four segments';
  if (!match) return `--segment ${JSON.stringify(text)}: ${fix}`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return `--segment ${JSON.stringify(text)}: ${fix}`;
  return { index, count };
}

/**
 * Contiguous ranges, sizes differing by one at most. Contiguous so that each client keeps its
 * global index, and with it everything seeded per client (its ramp slot, its sequence numbers).
 */
export function segmentRange(spec: SegmentSpec, clients: number): ClientRange {
  const first = Math.floor(((spec.index - 1) * clients) / spec.count);
  const end = Math.floor((spec.index * clients) / spec.count);
  return { first, count: end - first };
}

/**
 * The segment's share of the publishing: each event of the whole schedule, addressed to the
 * segment's own recipients only ("all" becomes the segment's clients), and events with none of
 * them left out. Expected deliveries then add up over the segments to the whole run's.
 */
export function* segmentSchedule(schedule: Iterable<ScheduledEvent>, range: ClientRange): Generator<ScheduledEvent> {
  const end = range.first + range.count;
  const everyone = Array.from({ length: range.count }, (_, i) => range.first + i);
  for (const event of schedule) {
    const to = event.to === 'all' ? everyone : event.to.filter((i) => i >= range.first && i < end);
    if (to.length > 0) yield { ...event, to };
  }
}

/** What a phase needs to run as one segment. */
export interface PhaseSegment {
  range: ClientRange;
  /** Clients of the whole run. */
  fleetClients: number;
  /** The agreed start of the publish schedule, on this machine's monotonic clock, ns. */
  startNs: bigint;
  /** The shared server's clock minus ours, ns (0 when unknown): its publishedAt readings are turned into ours with it. */
  serverOffsetNs: bigint;
  /** Keeps the phase's raw measurements for the partial result. */
  record(measurements: SegmentTransport): void;
}
