/** Rules that span several fields, checked after each field is valid on its own. */
import { isTransportName, runName, TRANSPORTS, transportModule } from '../transports/catalog.js';
import type { AnyTransportModule } from '../transports/module.js';
import { formatDuration } from '../units/units.js';
import { MAX_EVENT_RATE, type ScenarioFile } from './schema.js';
import { whyNotSharded } from './server-field.js';
import { meanRatePerSecond, recipientsPerEvent, unlistedSecureLeftOut, workloadOf, type Scenario } from './scenario.js';

export interface RuleFinding {
  severity: 'error' | 'warning';
  path: string[];
  message: string;
}

/** p99 needs about ten samples beyond it to be more than the maximum (as the run's own warning says). */
const MIN_SAMPLES_FOR_P99 = 1_000;

export function checkRules(file: ScenarioFile, scenario: Scenario, catalog: readonly AnyTransportModule[] = TRANSPORTS): RuleFinding[] {
  return [
    ...scheduleRules(file),
    ...chatRules(file),
    ...offlineRules(scenario),
    ...slowClientRules(file),
    ...audienceRules(scenario),
    ...transportRules(file, scenario, catalog),
    ...sampleRules(scenario),
    ...thresholdRules(scenario),
    ...serverRules(scenario),
  ];
}

/** Several server processes, or a backplane, only where each client's server address can be chosen per process. */
function serverRules(scenario: Scenario): RuleFinding[] {
  const layout = scenario.server;
  if (!layout) return [];
  const why = whyNotSharded(scenario);
  if (why === null) return [];
  if (layout.processes !== null && layout.processes > 1)
    return [error(['server', 'processes'], `${layout.processes} server processes cannot serve ${why}; remove server.processes (or set it to 1)`)];
  if (layout.backplane !== 'direct')
    return [error(['server', 'backplane'], `backplane ${layout.backplane} cannot serve ${why}; remove server.backplane (or write direct)`)];
  return [];
}

function scheduleRules(file: ScenarioFile): RuleFinding[] {
  const { events } = file;
  const findings: RuleFinding[] = [];
  if (!events) return findings;
  if (events.arrival === 'burst') {
    if (!events.burst) findings.push(error(['events', 'arrival'], 'arrival: burst needs events.burst; add e.g. burst: { size: 50, every: 5s }'));
    if (events.rate !== undefined) findings.push(error(['events', 'rate'], "a burst schedule's rate is burst.size / burst.every; remove events.rate"));
  } else if (events.burst) {
    findings.push(error(['events', 'burst'], `burst is only used with arrival: burst (arrival is ${events.arrival}); remove burst or write arrival: burst`));
  }
  return findings;
}

/** A chat's messages come from its clients, so it has no publisher's schedule to mix in. */
function chatRules(file: ScenarioFile): RuleFinding[] {
  if (!file.chat) return [];
  const findings: RuleFinding[] = [];
  if (file.events) {
    findings.push(
      error(['events'], "a chat scenario's messages come from its clients (chat.sendRate, chat.payload); remove events, or remove chat for a one-way run"),
    );
  }
  // Every message is a scheduled event: the clients together must stay within what one publisher may send.
  const ratePerSecond = file.chat.sendRatePerClient * file.clients.count;
  if (ratePerSecond > MAX_EVENT_RATE) {
    findings.push(
      error(
        ['chat', 'sendRate'],
        `${file.clients.count} clients at this rate send ${Math.round(ratePerSecond).toLocaleString('en-US')} messages a second in all, above ${MAX_EVENT_RATE.toLocaleString('en-US')}/s; lower chat.sendRate or clients.count`,
      ),
    );
  }
  if (file.clients.offline) {
    findings.push(
      error(
        ['clients', 'offline'],
        'clients that go offline are not supported in a chat yet (what an offline sender does with its messages is not modelled); remove clients.offline or chat',
      ),
    );
  }
  const listed = Object.keys(file.transports ?? {});
  for (const name of listed.filter((name) => isTransportName(name) && transportModule(name).broker !== undefined)) {
    findings.push(
      error(['transports', name], `${name} clients only receive: a chat's rooms and sends are the reference server's; leave ${name} out of a chat`),
    );
  }
  return findings;
}

/** An offline spell longer than the window would mostly be cut by its end: nothing would come back to be measured. */
function offlineRules(scenario: Scenario): RuleFinding[] {
  const offline = scenario.clients.offline;
  if (!offline || offline.forMs <= scenario.durationMs) return [];
  return [
    error(
      ['clients', 'offline', 'for'],
      `clients stay offline ${formatDuration(offline.forMs)} on average, longer than the measured duration (${formatDuration(scenario.durationMs)}); shorten offline.for or lengthen duration`,
    ),
  ];
}

function slowClientRules(file: ScenarioFile): RuleFinding[] {
  const { consume, slow } = file.clients;
  if (slow === undefined) return [];
  if (consume === undefined)
    return [error(['clients', 'slow'], 'slow says which clients fall behind, consume how slowly; add e.g. consume: 20/s, or remove slow')];
  if (slow <= 0)
    return [error(['clients', 'slow'], `"${+(slow * 100).toFixed(3)}%" makes no client slow; write a percentage above 0%, or remove consume and slow`)];
  return [];
}

function audienceRules(scenario: Scenario): RuleFinding[] {
  const { audience } = scenario.events;
  if (audience.kind === 'room') return roomRules(scenario, audience);
  if (audience.kind !== 'fraction') return [];
  const percent = `${+(audience.fraction * 100).toFixed(3)}%`;
  if (audience.fraction <= 0) return [error(['events', 'audience'], `"${percent}" reaches no client; write a percentage above 0%, "one" or "all"`)];
  if (audience.fraction > 1) return [error(['events', 'audience'], `"${percent}" is more than every client; write at most "100%" (or "all")`)];
  if (audience.fraction * scenario.clients.count < 1) {
    return [warning(['events', 'audience'], `${percent} of ${scenario.clients.count} clients is less than one; each event goes to one client`)];
  }
  return [];
}

/** A room of one client (echo off) gets no message: the chat would measure nothing there. */
function roomRules(scenario: Scenario, room: { rooms: number; echo: boolean }): RuleFinding[] {
  const clients = scenario.clients.count;
  if (room.echo || clients >= 2 * room.rooms) return [];
  if (room.rooms > clients) {
    return [
      error(
        ['chat', 'rooms'],
        `${room.rooms} rooms for ${clients} clients leaves rooms empty; use at most ${Math.floor(clients / 2) || 1} rooms (two members each), or more clients`,
      ),
    ];
  }
  return [
    warning(
      ['chat', 'rooms'],
      `${room.rooms} rooms for ${clients} clients puts some clients alone in a room, where nobody sees their messages; use at most ${Math.floor(clients / 2) || 1} rooms`,
    ),
  ];
}

/** Each transport's own rules, located under its entry; and at least one transport to run. */
function transportRules(file: ScenarioFile, scenario: Scenario, catalog: readonly AnyTransportModule[]): RuleFinding[] {
  const workload = workloadOf(scenario);
  const findings = scenario.transports.flatMap((plan) =>
    (transportModule(plan.name, catalog).rules?.(workload, plan.settings) ?? []).map((finding) => ({
      ...finding,
      path: ['transports', runName(plan), ...finding.path],
    })),
  );
  findings.push(...serverOptionsRules(scenario, catalog));
  const leftOut = catalog.filter((module) => module.server?.secure && unlistedSecureLeftOut(file)).map((module) => module.name);
  if (leftOut.length > 0) {
    findings.push(
      warning(
        ['transports'],
        `${leftOut.join(', ')} left out: it has no shaping proxy or intermediary in front of its TLS listener yet, and this scenario emulates one; list the transports to choose them yourself`,
      ),
    );
  }
  if (scenario.transports.length === 0) {
    findings.push(error(['transports'], `no transport to run; list at least one of ${catalog.map((module) => module.name).join(', ')}`));
  }
  return findings;
}

function sampleRules(scenario: Scenario): RuleFinding[] {
  const expected = expectedDeliveries(scenario);
  if (expected >= MIN_SAMPLES_FOR_P99) return [];
  return [
    warning(
      [scenario.chat ? 'chat' : 'events'],
      `only about ${Math.round(expected)} deliveries per transport are expected; p99 needs at least ${MIN_SAMPLES_FOR_P99.toLocaleString('en-US')} to be more than the maximum (raise ${scenario.chat ? 'chat.sendRate' : 'events.rate'} or duration)`,
    ),
  ];
}

/**
 * The reference server starts once for a run, with each transport's server options (a heartbeat):
 * runs of one transport that would need it started otherwise cannot share it.
 */
function serverOptionsRules(scenario: Scenario, catalog: readonly AnyTransportModule[]): RuleFinding[] {
  return catalog.flatMap((module) => {
    const runs = scenario.transports.filter((plan) => plan.name === module.name);
    const options = runs.map((plan) => JSON.stringify(module.server?.fromSettings(plan.settings) ?? {}));
    const odd = runs.find((_plan, i) => options[i] !== options[0]);
    if (!odd) return [];
    return [
      error(
        ['transports', runName(odd)],
        `${runName(odd)} needs the reference server started otherwise than ${runName(runs[0]!)} (${options[runs.indexOf(odd)]} vs ${options[0]}); runs of one transport may differ only in what its clients do: put them in two scenarios`,
      ),
    ];
  });
}

function thresholdRules(scenario: Scenario): RuleFinding[] {
  const running = new Set(scenario.transports.map(runName));
  return scenario.thresholds.flatMap((threshold, index) =>
    running.has(threshold.transport)
      ? []
      : [warning(['thresholds', String(index)], `"${threshold.expr}" names ${threshold.transport}, which this scenario does not run; it will not be checked`)],
  );
}

/** Deliveries expected per transport in the measured phase: events × recipients per event. */
export function expectedDeliveries(scenario: Scenario): number {
  const events = (meanRatePerSecond(scenario.events.arrival) * scenario.durationMs) / 1_000;
  return events * recipientsPerEvent(scenario.events.audience, scenario.clients.count);
}

function error(path: string[], message: string): RuleFinding {
  return { severity: 'error', path, message };
}

function warning(path: string[], message: string): RuleFinding {
  return { severity: 'warning', path, message };
}
