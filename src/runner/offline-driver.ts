/**
 * Plays the offline schedule on a client process's clients: one timer for the whole shard (never
 * one per client), set to the next transition of any client. A late wake plays every transition
 * that is due, in order, so a client never skips an episode.
 */
import type { OfflineRecorder } from '../metrics/offline.js';
import type { OfflineSettings } from '../scenario/offline-field.js';
import type { TransportClient } from '../transports/types.js';

interface Transition {
  /** ns after the schedule's zero */
  atNs: number;
  client: number;
  episode: number;
  offline: boolean;
}

export class OfflineDriver {
  private readonly transitions: Transition[] = [];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param perClient each client's episodes (offline-schedule.ts), indexed like `clients`
   * @param zeroNs the schedule's zero (process.hrtime.bigint() time)
   */
  constructor(
    private readonly clients: readonly TransportClient[],
    perClient: ReadonlyArray<readonly number[]>,
    private readonly zeroNs: bigint,
    private readonly settings: OfflineSettings,
    private readonly recorder: OfflineRecorder,
  ) {
    perClient.forEach((episodes, client) => {
      for (let i = 0; i < episodes.length; i += 2) {
        this.transitions.push({ atNs: episodes[i] as number, client, episode: i / 2, offline: true });
        this.transitions.push({ atNs: episodes[i + 1] as number, client, episode: i / 2, offline: false });
      }
    });
    // Ties: a return before a departure, so that one client's back-to-back episodes stay in order.
    this.transitions.sort((a, b) => a.atNs - b.atNs || Number(a.offline) - Number(b.offline));
  }

  start(): void {
    this.arm();
  }

  /** No more transitions; clients offline stay so (they are being stopped). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.next = this.transitions.length;
  }

  private arm(): void {
    const due = this.transitions[this.next];
    if (due === undefined) return;
    const waitMs = Number(this.zeroNs + BigInt(due.atNs) - process.hrtime.bigint()) / 1e6;
    this.timer = setTimeout(() => this.play(), Math.max(0, waitMs));
  }

  private play(): void {
    const nowOffset = Number(process.hrtime.bigint() - this.zeroNs);
    for (let t = this.transitions[this.next]; t !== undefined && t.atNs <= nowOffset; t = this.transitions[++this.next]) {
      const client = this.clients[t.client];
      if (client === undefined) continue;
      if (t.offline) {
        this.recorder.wentOffline(t.client, t.episode);
        client.goOffline(this.settings.how);
      } else {
        // The clock starts before the client resumes: a resumed stream may deliver at once.
        this.recorder.cameBack(t.client, t.episode, process.hrtime.bigint());
        client.comeBack();
      }
    }
    this.arm();
  }
}
