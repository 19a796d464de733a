/** The IPC messages between the orchestrator and a client process. bigints travel as decimal strings. */
import type { OfflineSnapshot } from '../metrics/offline.js';
import type { ClientSnapshot } from '../metrics/snapshot.js';
import type { ClientSecond } from '../metrics/series.js';
import type { OfflineSettings } from '../scenario/offline-field.js';
import type { TransportName, TransportSettings } from '../transports/catalog.js';
import type { DialectSpec } from '../targets/control.js';
import type { ScheduleBasis } from './schedule.js';
import type { SlowPlan, SlowSnapshot } from './slow-clients.js';
import type { ChatSendReport } from './chat-sender.js';

/** How often a client process reports its progress. */
export const PROGRESS_INTERVAL_MS = 500;

export interface StartMessage {
  type: 'start';
  baseUrl: string;
  /** A sharded reference server: each process's base URL; client g connects to serverUrls[serverProcessOf(g, length)] instead of baseUrl. */
  serverUrls?: string[];
  transport: TransportName;
  settings: TransportSettings[TransportName];
  /** Global index of this process's first client; its clients are firstIndex .. firstIndex+count-1. */
  firstIndex: number;
  count: number;
  /** Clients in the whole fleet (the ramp is paced over all of them). */
  fleetSize: number;
  /** Ramp start, ns; client g connects at rampStartNs + g/fleetSize × rampUpMs. */
  rampStartNs: string;
  rampUpMs: number;
  seed: number;
  /** Source addresses to spread connections over (empty: the OS picks). */
  localAddresses: string[];
  /** Clients go offline (offline-schedule.ts): the settings and the schedule's end, ms after its zero. */
  offline?: { settings: OfflineSettings; untilMs: number };
  /** Clients that fall behind; which ones follows from `seed` and `fleetSize` (slow-clients.ts). Absent: all keep up. */
  slow?: SlowPlan;
  /**
   * The target speaks an adapter's dialect (src/targets/): its events carry their schedule
   * ordinal, which the client process turns into seqs by rebuilding the same schedule up to untilMs.
   */
  dialect?: { spec: NonNullable<DialectSpec>; schedule: ScheduleSpan };
  /** A chat: the clients send the schedule's messages (chat-sender.ts), which the process rebuilds up to untilMs. */
  chat?: { schedule: ScheduleSpan };
  /** A secure transport's: the reference server's TLS listener and the run's CA (ClientContext.tls). */
  tls?: { baseUrl: string; ca: string };
}

/** A schedule as far as a client process rebuilds it: its events and its end, ms after its zero (seed and fleet size are in the start message). */
interface ScheduleSpan {
  events: ScheduleBasis['events'];
  untilMs: number;
}

export type ToClientProcess =
  | StartMessage
  | { type: 'window'; startNs: string; endNs: string; /** the schedule's zero (start of the warm-up), ns */ zeroNs: string }
  | { type: 'mark'; edge: 'start' | 'end' }
  | { type: 'stop' };

export interface FailureSummary {
  /** Failures by kind (connect, request, protocol, disconnect). Count. */
  counts: Record<string, number>;
  /** The first few, verbatim, for the warning text. */
  examples: string[];
}

export type FromClientProcess =
  | { type: 'connected'; connected: number; failed: number }
  | { type: 'window-set' }
  /** Every PROGRESS_INTERVAL_MS while the shard runs, for the progress line. */
  | { type: 'progress'; connected: number; delivered: number; /** seconds of the series closed since the last report */ seconds?: ClientSecond[] }
  | { type: 'marked'; edge: 'start' | 'end' }
  | {
      type: 'snapshot';
      snapshot: ClientSnapshot;
      failures: FailureSummary;
      skippedPolls: number;
      /** The series' seconds not yet sent with a progress report, the last (partial) one included. */
      seconds: ClientSecond[];
      offline?: OfflineSnapshot;
      slow?: SlowSnapshot;
      chat?: ChatSendReport;
    }
  | { type: 'fatal'; message: string };
