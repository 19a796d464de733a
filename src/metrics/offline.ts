import type { DeliveryWindow } from './deliveries.js';
import { LatencyHistogram, mergeCountsAndHistograms } from './histogram.js';

/**
 * What one client process saw of its clients' offline episodes (docs/conditions.md): the episodes
 * it played that began in the measured window, the in-window events intended while their client
 * was offline that still arrived (recovered), their latency from the intended time, and the time
 * to recover of each episode. How many such events there were is the orchestrator's count, from
 * the schedule; lost = that count − recovered.
 */
export interface OfflineSnapshot {
  /** Episodes begun in the measured window. Count. */
  episodes: number;
  /** In-window events intended while their client was offline and delivered (first sightings). Count. */
  recovered: number;
  /** Latency of the recovered events (received − intended), ns values, encoded histogram. */
  recoveredLatency: string;
  /** Time to recover: return → first missed event or gap marker received, ns values, encoded histogram. */
  recover: string;
}

export function emptyOfflineSnapshot(): OfflineSnapshot {
  const empty = new LatencyHistogram().encode();
  return { episodes: 0, recovered: 0, recoveredLatency: empty, recover: empty };
}

export const mergeOfflineSnapshots: (a: OfflineSnapshot, b: OfflineSnapshot) => OfflineSnapshot = mergeCountsAndHistograms;

/**
 * Index of the episode (its position among the pairs) of a flat [from0, to0, from1, to1, …] list
 * of increasing ns offsets that holds offset `t` (from ≤ t < to), or -1.
 */
export function episodeAt(episodes: ArrayLike<number>, t: number): number {
  let low = 0;
  let high = episodes.length / 2 - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((episodes[2 * mid] as number) <= t) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found >= 0 && t < (episodes[2 * found + 1] as number) ? found : -1;
}

const NONE = -1;

/**
 * Per-client bookkeeping of a client process. Costs nothing per event beyond a binary search over
 * the event's client's episodes, and only in runs with offline clients.
 */
export class OfflineRecorder {
  private episodes = 0;
  private recovered = 0;
  private readonly recoveredLatency = new LatencyHistogram();
  private readonly recover = new LatencyHistogram();
  /** Per client: the episode whose return waits for its first recovered event (NONE: none waits). */
  private readonly waiting: Int32Array;
  /** Per client: when it came back from that episode, ns. */
  private readonly returnedNs: BigInt64Array;
  private readonly windowFrom: number;
  private readonly windowTo: number;

  /**
   * @param perClient each local client's episodes (see episodeAt), ns after `zeroNs`
   * @param zeroNs the schedule's zero, ns
   * @param window the measured window of intended times
   */
  constructor(
    private readonly perClient: ReadonlyArray<ArrayLike<number>>,
    private readonly zeroNs: bigint,
    window: DeliveryWindow,
  ) {
    this.waiting = new Int32Array(perClient.length).fill(NONE);
    this.returnedNs = new BigInt64Array(perClient.length);
    this.windowFrom = Number(window.startNs - zeroNs);
    this.windowTo = Number(window.endNs - zeroNs);
  }

  /** Client `index` went offline for its episode `episode`. */
  wentOffline(index: number, episode: number): void {
    this.waiting[index] = NONE;
    if (this.counts(index, episode)) this.episodes++;
  }

  /** Client `index` came back from `episode` at `nowNs`; its time to recover starts. */
  cameBack(index: number, episode: number, nowNs: bigint): void {
    if (!this.counts(index, episode)) return;
    this.waiting[index] = episode;
    this.returnedNs[index] = nowNs;
  }

  /** An in-window first sighting (never a duplicate) of an event. */
  event(index: number, intendedNs: bigint, receivedNs: bigint): void {
    const episodes = this.perClient[index];
    if (episodes === undefined || episodes.length === 0) return;
    const episode = episodeAt(episodes, Number(intendedNs - this.zeroNs));
    if (episode < 0) return;
    this.recovered++;
    this.recoveredLatency.record(receivedNs - intendedNs);
    if (this.waiting[index] === episode) this.stopRecoverClock(index, receivedNs);
  }

  /** A gap marker arrived: after a return, it is the news of what was missed. */
  gap(index: number, receivedNs: bigint): void {
    if (this.waiting[index] !== NONE) this.stopRecoverClock(index, receivedNs);
  }

  snapshot(): OfflineSnapshot {
    return { episodes: this.episodes, recovered: this.recovered, recoveredLatency: this.recoveredLatency.encode(), recover: this.recover.encode() };
  }

  private stopRecoverClock(index: number, receivedNs: bigint): void {
    this.recover.record(receivedNs - (this.returnedNs[index] as bigint));
    this.waiting[index] = NONE;
  }

  /** Episodes that begin in the measured window are the ones counted. */
  private counts(index: number, episode: number): boolean {
    const from = this.perClient[index]?.[2 * episode];
    return from !== undefined && from >= this.windowFrom && from < this.windowTo;
  }
}
