/**
 * When each client is offline: per client, online and offline spells alternate, each drawn from an
 * exponential distribution with the scenario's mean (`every`, `for`), from a seed of its own. The
 * client process acts on it and the orchestrator counts from it, with this one function, so "events
 * intended while their client was offline" is exact, not guessed.
 *
 * Times are whole nanoseconds after the phase's schedule zero (the start of the warm-up), kept as
 * numbers (exact up to 2^53 ns, 104 days): an event intended at offset t (the publisher's
 * `Math.round(atMs × 1e6)`) is offline for its client when some episode has from ≤ t < to
 * (metrics/offline.ts `episodeAt`).
 * Every client starts online; the episodes end by the end of the measured window (the last one is
 * cut there), so that every client is back for the drain.
 */
import { episodeAt } from '../metrics/offline.js';
import type { OfflineSettings } from '../scenario/offline-field.js';
import { exponential, seededRandom } from './random.js';

/** Whole ns of a ms offset, as the publisher rounds an event's intended time. */
export const offsetNs = (ms: number): number => Math.round(ms * 1e6);

/**
 * One client's episodes in [0, untilMs), flat: [from0, to0, from1, to1, …] in ns after the schedule
 * zero, increasing. `clientIndex` is the client's index in the whole fleet.
 */
export function offlineEpisodes(settings: OfflineSettings, seed: number, clientIndex: number, untilMs: number): number[] {
  const random = seededRandom(episodeSeed(seed, clientIndex));
  const episodes: number[] = [];
  let atMs = 0;
  for (;;) {
    atMs += exponential(random, 1 / settings.everyMs);
    if (atMs >= untilMs) return episodes;
    const fromNs = offsetNs(atMs);
    atMs += exponential(random, 1 / settings.forMs);
    const toNs = offsetNs(Math.min(atMs, untilMs));
    // An episode shorter than a nanosecond is no episode.
    if (toNs > fromNs) episodes.push(fromNs, toNs);
    if (atMs >= untilMs) return episodes;
  }
}

/**
 * A seed per client, apart from the publish schedule's and the client's own random (poll phase,
 * retry jitter), so that switching offline on changes nothing else of the run.
 */
function episodeSeed(seed: number, clientIndex: number): number {
  return (Math.imul(seed ^ 0x0ff1e, 0x9e3779b1) + Math.imul(clientIndex + 1, 0x85ebca6b)) >>> 0;
}

/**
 * The whole fleet's episodes, for the orchestrator: how many of an event's recipients were offline
 * at its intended time. O(log n) per event whatever the audience: a broadcast counts the episodes
 * open at t from the sorted starts and ends of all of them.
 */
export class OfflineBook {
  private readonly perClient: number[][];
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;

  constructor(settings: OfflineSettings, seed: number, clientCount: number, untilMs: number) {
    this.perClient = Array.from({ length: clientCount }, (_, i) => offlineEpisodes(settings, seed, i, untilMs));
    const total = this.perClient.reduce((sum, episodes) => sum + episodes.length / 2, 0);
    this.starts = new Float64Array(total);
    this.ends = new Float64Array(total);
    let k = 0;
    for (const episodes of this.perClient) {
      for (let i = 0; i < episodes.length; i += 2, k++) {
        this.starts[k] = episodes[i] as number;
        this.ends[k] = episodes[i + 1] as number;
      }
    }
    this.starts.sort();
    this.ends.sort();
  }

  /** Recipients of an event intended at offset `t` ns that were offline then. */
  offlineRecipients(t: number, to: number[] | 'all'): number {
    if (to === 'all') return countAtMost(this.starts, t) - countAtMost(this.ends, t);
    let offline = 0;
    for (const client of to) if (episodeAt(this.perClient[client] ?? [], t) >= 0) offline++;
    return offline;
  }
}

/** Values ≤ t in a sorted array. */
function countAtMost(sorted: Float64Array, t: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) <= t) low = mid + 1;
    else high = mid;
  }
  return low;
}
