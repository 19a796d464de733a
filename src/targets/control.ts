/**
 * What the runner asks of the server it measures, whatever the server speaks: register the
 * clients, publish the schedule's events, start each phase afresh, and tell its own figures
 * when it can. The wire contract's server answers these as control endpoints
 * (contract/control.ts); an adapter translates them for a server that has none (nchan).
 */
import type { StatsSnapshot } from '../server/stats.js';

export interface PublishSpec {
  /** Ordinal of the event in the phase's publish schedule, from 0: what an adapter's events carry as their id. */
  index: number;
  to: string[] | 'all';
  /** Intended publish time, ns (process.hrtime.bigint()) as a decimal string. */
  intended: string;
  payloadBytes: number;
}

export interface PublishAnswer {
  /** The event's id as the server gave it (the contract's global id), or its schedule ordinal. */
  id: number;
  /** Clients the server says it fanned the event out to (an adapter without a word on it: those addressed). */
  recipients: number;
  /** When the server stored the event, ns as a decimal string: its own clock, or when its answer came back. */
  publishedAt: string;
}

/** Serialisable: what a client process needs to speak the target's dialect (null for the wire contract). */
export type DialectSpec =
  | { adapter: 'nchan'; subscribe: string; longPoll: string; poll: string; namespace: string }
  /** A message broker: its URL and the phase's namespace in it (src/transports/broker-link.ts). */
  | { adapter: 'broker'; url: string; namespace: string }
  | null;

export interface TargetControl {
  /** Base URL the clients connect to. */
  readonly baseUrl: string;
  /** Registers the clients of a phase (contract ids, e.g. c17). */
  register(ids: readonly string[]): Promise<void>;
  publish(specs: readonly PublishSpec[]): Promise<PublishAnswer[]>;
  /** Sets a chat's rooms (room name → member ids) and whether senders get their own messages; only a server that serves chat (TargetAdapter.chat). */
  rooms(rooms: Readonly<Record<string, readonly string[]>>, echo: boolean): Promise<void>;
  /** A fresh start for the next phase: no client, no event of an earlier one can reach it. */
  reset(): Promise<void>;
  resetStats(): Promise<void>;
  /** The server's figures; undefined when it cannot tell them (never zeros in their place). */
  stats(): Promise<StatsSnapshot | undefined>;
  /**
   * Messages the server holds for its clients now (a broker's queues), summed; absent when it
   * cannot tell, null when it could not this time.
   */
  held?(): Promise<number | null>;
  /** How clients speak to it, after reset(): null for the wire contract. */
  dialect(): DialectSpec;
  close(): Promise<void>;
}
