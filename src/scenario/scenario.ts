/** The validated scenario the runner works from: every value present, in base units. */
import type { Intermediary } from '../conditions/intermediary.js';
import type { ScenarioTarget } from '../targets/target-field.js';
import type { ServerLayout } from './server-field.js';
import type { LinkShape } from '../conditions/shaping-proxy.js';
import { perClientRate } from '../metrics/model.js';
import { RUN_KEY, TRANSPORTS, type TransportPlan } from '../transports/catalog.js';
import type { ConsumeLimit } from '../transports/consume-gate.js';
import type { AnyTransportModule, Workload } from '../transports/module.js';
import type { OfflineSettings } from './offline-field.js';
import { eventsField, type Audience as FileAudience, type EventsField, type ScenarioFile } from './schema.js';
import type { Threshold } from './thresholds.js';
import type { SweepSection } from './sweep-field.js';
import { meanRecipients, type ChatSettings } from './chat-field.js';

/** Who receives each event: as the file's `events.audience` says, or, in a chat, the sender's room (with the sender when echo is on). */
export type Audience = FileAudience | { kind: 'room'; rooms: number; echo: boolean };

export type Arrival =
  { kind: 'poisson'; ratePerSecond: number } | { kind: 'uniform'; ratePerSecond: number } | { kind: 'burst'; size: number; everyMs: number };

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
  /**
   * `offline`: present when clients go offline now and then (docs/conditions.md). `slow`: present
   * when some clients fall behind, consuming no faster than `consume`; `share` of them, 0..1.
   */
  clients: { count: number; rampUpMs: number; offline?: OfflineSettings; slow?: { consume: ConsumeLimit; share: number } };
  /** What is published; in a chat, the clients' messages: every client's Poisson sends merged into one stream, each to the sender's room. */
  events: { arrival: Arrival; payloadBytes: number; audience: Audience };
  /** A two-way chat: the clients send the events (docs/scenarios.md); null: the publisher does. */
  chat: ChatSettings | null;
  /** The link between each client and the server; null = not shaped (loopback). */
  network: LinkShape | null;
  /** What stands between clients and server besides the link; null = nothing. */
  intermediary: Intermediary | null;
  /** A running server to measure instead of the reference server (`target:`); null: the reference server, unless --target names one. */
  target: ScenarioTarget | null;
  /** The reference server's processes and backplane (`server:`); absent: as many processes as the clients need, direct. */
  server?: ServerLayout;
  /** In the catalog's order (src/transports/catalog.ts) whatever the file's, so runs compare alike. */
  transports: TransportPlan[];
  thresholds: Threshold[];
  /** What `push-bench sweep` varies when the command line does not say (`sweep:`); null: nothing. */
  sweep: SweepSection | null;
}

const DEFAULT_RATE_PER_SECOND = 10;

/** `events:` left out: every default. */
const DEFAULT_EVENTS: EventsField = eventsField().parse({});

/** Mean publish rate of the schedule, events per second. */
export function meanRatePerSecond(arrival: Arrival): number {
  return arrival.kind === 'burst' ? (arrival.size * 1_000) / arrival.everyMs : arrival.ratePerSecond;
}

/** How many clients fall behind: `share` of `count`, at least one. */
export function slowClientCount(count: number, share: number): number {
  return Math.min(count, Math.max(1, Math.round(share * count)));
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
    case 'room':
      return meanRecipients(audience, clientCount);
  }
}

/**
 * The transports the file lists, in catalog order; when it lists none, all that the reference
 * server serves, with their defaults, except a secure one under emulated conditions
 * (unlistedSecureLeftOut). A broker's transport runs only when listed: it needs a broker
 * program the machine may not have. Each entry was parsed by its own module's settings schema.
 */
function planTransports(file: ScenarioFile, catalog: readonly AnyTransportModule[]): TransportPlan[] {
  const listed = file.transports;
  return catalog.flatMap((module) => {
    if (!listed) {
      if (module.server === undefined || (module.server.secure && unlistedSecureLeftOut(file))) return [];
      return [{ name: module.name, settings: module.settings.parse({}) as unknown } as TransportPlan];
    }
    // The transport's own entry, then its other runs (`name/label`) in the file's order; the name
    // and each settings come from the same module, which is what TransportPlan says.
    const own = listed[module.name] === undefined ? [] : [{ name: module.name, settings: listed[module.name] } as TransportPlan];
    const others = Object.entries(listed).flatMap(([key, settings]) => {
      const run = RUN_KEY.exec(key);
      return run?.[1] === module.name ? [{ name: module.name, settings, label: run[2] } as TransportPlan] : [];
    });
    return [...own, ...others];
  });
}

/**
 * A secure transport (sse-h2) reaches the server's TLS listener straight, with no shaping proxy
 * or intermediary in front of it yet: a file that names no transports runs it only on a plain
 * loopback link (listed anyway, its own rules refuse the conditions).
 */
export function unlistedSecureLeftOut(file: Pick<ScenarioFile, 'transports' | 'network' | 'intermediary'>): boolean {
  return file.transports === undefined && (file.network !== undefined || file.intermediary !== undefined);
}

/** What a transport's model and rules are told of the scenario. */
export function workloadOf(scenario: Scenario): Workload {
  const { audience, arrival } = scenario.events;
  return {
    ratePerClientPerS: perClientRate(
      meanRatePerSecond(arrival),
      scenario.clients.count,
      audience.kind === 'all' || audience.kind === 'one'
        ? audience.kind
        : { fraction: recipientsPerEvent(audience, scenario.clients.count) / scenario.clients.count },
    ),
    clients: scenario.clients.count,
    recipientShare:
      audience.kind === 'all'
        ? 1
        : audience.kind === 'one'
          ? 1 / scenario.clients.count
          : recipientsPerEvent(audience, scenario.clients.count) / scenario.clients.count,
    arrival: arrival.kind,
    durationMs: scenario.durationMs,
    phaseMs: scenario.clients.rampUpMs + scenario.warmupMs + scenario.durationMs,
    payloadBytes: scenario.events.payloadBytes,
    link: scenario.network
      ? { upLatencyMs: scenario.network.up.latencyMs, downLatencyMs: scenario.network.down.latencyMs, downBytesPerSecond: scenario.network.down.bytesPerSecond }
      : null,
    offline: scenario.clients.offline ? { everyMs: scenario.clients.offline.everyMs, forMs: scenario.clients.offline.forMs } : null,
    warmupMs: scenario.warmupMs,
    idleCutMs: idleCutMs(scenario.intermediary),
  };
}

/** How long a connection may stay silent before the intermediary closes it, ms. */
function idleCutMs(intermediary: Scenario['intermediary']): number | null {
  if (intermediary === null) return null;
  return intermediary.kind === 'nginx' ? intermediary.readTimeoutMs : intermediary.idleTimeoutMs;
}

/**
 * The events of the run: the file's `events`, or a chat's messages. Each client sending at its
 * own Poisson rate is, merged, one Poisson stream at the sum of the rates whose every event
 * comes from a client drawn uniformly (the schedule draws it).
 */
function eventsOf(file: ScenarioFile): Scenario['events'] {
  const { chat } = file;
  if (chat) {
    return {
      arrival: { kind: 'poisson', ratePerSecond: chat.sendRatePerClient * file.clients.count },
      payloadBytes: chat.payloadBytes,
      audience: { kind: 'room', rooms: chat.rooms, echo: chat.echo },
    };
  }
  const events = file.events ?? DEFAULT_EVENTS;
  return { arrival: arrivalOf(events), payloadBytes: events.payload, audience: events.audience };
}

function arrivalOf(events: EventsField): Arrival {
  if (events.arrival === 'burst' && events.burst) return { kind: 'burst', size: events.burst.size, everyMs: events.burst.every };
  const ratePerSecond = events.rate ?? DEFAULT_RATE_PER_SECOND;
  return { kind: events.arrival === 'uniform' ? 'uniform' : 'poisson', ratePerSecond };
}

/** The schema's output (file names, base units) → the runner's model (explicit unit names). */
export function toScenario(file: ScenarioFile, catalog: readonly AnyTransportModule[] = TRANSPORTS): Scenario {
  return {
    name: file.name,
    description: file.description,
    seed: file.seed,
    durationMs: file.duration,
    warmupMs: file.warmup,
    drainMs: file.drain ?? null,
    clients: {
      count: file.clients.count,
      rampUpMs: file.clients.rampUp,
      ...(file.clients.offline ? { offline: file.clients.offline } : {}),
      ...(file.clients.consume ? { slow: { consume: file.clients.consume, share: file.clients.slow ?? 1 } } : {}),
    },
    events: eventsOf(file),
    chat: file.chat ?? null,
    network: file.network ?? null,
    intermediary: file.intermediary ?? null,
    target: file.target ?? null,
    ...(file.server ? { server: file.server } : {}),
    transports: planTransports(file, catalog),
    thresholds: file.thresholds,
    sweep: file.sweep ?? null,
  };
}
