/** The validated scenario the runner works from: every value present, in base units. */
import type { Audience, ScenarioFile } from './schema.js';
import type { Threshold } from './thresholds.js';
import { TRANSPORT_NAMES, type TransportName } from './transport-names.js';

export type { Audience } from './schema.js';
export type { TransportName } from './transport-names.js';

export interface TransportSettings {
  polling: { intervalMs: number; mode: 'fixed' | 'chained' };
  'long-polling': { timeoutMs: number };
  sse: { heartbeatMs: number | null };
  websocket: { heartbeatMs: number | null; compression: boolean };
}

export type TransportPlan = { [K in TransportName]: { name: K; settings: TransportSettings[K] } }[TransportName];

export type Arrival =
  | { kind: 'poisson'; ratePerSecond: number }
  | { kind: 'uniform'; ratePerSecond: number }
  | { kind: 'burst'; size: number; everyMs: number };

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  /** Measured phase per transport, ms. */
  durationMs: number;
  /** Uncounted phase after connecting, ms. */
  warmupMs: number;
  /** Wait after the measured phase for events in flight, ms; null = the per-transport default. */
  drainMs: number | null;
  clients: { count: number; rampUpMs: number };
  events: { arrival: Arrival; payloadBytes: number; audience: Audience };
  /** In run order: always polling, long-polling, sse, websocket, so runs compare alike. */
  transports: TransportPlan[];
  thresholds: Threshold[];
}

export const DEFAULT_RATE_PER_SECOND = 10;

/** Mean publish rate of the schedule, events per second. */
export function meanRatePerSecond(arrival: Arrival): number {
  return arrival.kind === 'burst' ? (arrival.size * 1_000) / arrival.everyMs : arrival.ratePerSecond;
}

/** Clients that receive each event. */
export function recipientsPerEvent(audience: Audience, clientCount: number): number {
  switch (audience.kind) {
    case 'one':
      return 1;
    case 'all':
      return clientCount;
    case 'fraction':
      return Math.max(1, Math.round(audience.fraction * clientCount));
  }
}

function defaultSettings(): { [K in TransportName]: Required<ScenarioFile>['transports'][K] } {
  return {
    polling: { interval: 1_000, mode: 'fixed' },
    'long-polling': { timeout: 30_000 },
    sse: { heartbeat: null },
    websocket: { heartbeat: null, compression: false },
  };
}

function planTransports(file: ScenarioFile): TransportPlan[] {
  const listed = file.transports ?? defaultSettings();
  const plans: TransportPlan[] = [];
  for (const name of TRANSPORT_NAMES) {
    const plan = planOne(name, listed);
    if (plan) plans.push(plan);
  }
  return plans;
}

function planOne(name: TransportName, listed: NonNullable<ScenarioFile['transports']>): TransportPlan | undefined {
  switch (name) {
    case 'polling': {
      const s = listed.polling;
      return s && { name, settings: { intervalMs: s.interval, mode: s.mode } };
    }
    case 'long-polling': {
      const s = listed['long-polling'];
      return s && { name, settings: { timeoutMs: s.timeout } };
    }
    case 'sse': {
      const s = listed.sse;
      return s && { name, settings: { heartbeatMs: s.heartbeat } };
    }
    case 'websocket': {
      const s = listed.websocket;
      return s && { name, settings: { heartbeatMs: s.heartbeat, compression: s.compression } };
    }
  }
}

function arrivalOf(events: ScenarioFile['events']): Arrival {
  if (events.arrival === 'burst' && events.burst) return { kind: 'burst', size: events.burst.size, everyMs: events.burst.every };
  const ratePerSecond = events.rate ?? DEFAULT_RATE_PER_SECOND;
  return { kind: events.arrival === 'uniform' ? 'uniform' : 'poisson', ratePerSecond };
}

/** The schema's output (file names, base units) → the runner's model (explicit unit names). */
export function toScenario(file: ScenarioFile): Scenario {
  return {
    name: file.name,
    description: file.description,
    seed: file.seed,
    durationMs: file.duration,
    warmupMs: file.warmup,
    drainMs: file.drain ?? null,
    clients: { count: file.clients.count, rampUpMs: file.clients.rampUp },
    events: { arrival: arrivalOf(file.events), payloadBytes: file.events.payload, audience: file.events.audience },
    transports: planTransports(file),
    thresholds: file.thresholds,
  };
}
