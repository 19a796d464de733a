/**
 * What `run` and `sweep` check alike before anything runs: the transports picked, the
 * machine's limits for a scenario, the brokers (given or to start), the repeat count.
 */
import { isTransportName, RUN_KEY, runName, TRANSPORT_NAMES, transportModule, type TransportPlan } from '../transports/catalog.js';
import type { BrokerKind } from '../transports/module.js';
import { brokerOfKind, parseBrokerUrl } from '../runner/brokers.js';
import { defaultShards } from '../runner/run.js';
import { preflight, type Preflight } from '../runner/preflight.js';
import { backplaneMissing } from '../runner/backplane-process.js';
import { whyNotSharded, type Backplane } from '../scenario/server-field.js';
import type { Scenario } from '../scenario/scenario.js';
import { UsageError } from './exit-codes.js';

/** The --broker URLs, by kind: one each at most. */
export function parseBrokers(texts: readonly string[]): Partial<Record<BrokerKind, string>> {
  const brokers: Partial<Record<BrokerKind, string>> = {};
  for (const text of texts) {
    let parsed: ReturnType<typeof parseBrokerUrl>;
    try {
      parsed = parseBrokerUrl(text);
    } catch (error) {
      throw new UsageError(`--broker ${JSON.stringify(text)}: ${(error as Error).message}`);
    }
    if (brokers[parsed.kind] !== undefined)
      throw new UsageError(`--broker: two ${parsed.kind} brokers (${brokers[parsed.kind]}, ${text}); give one of each kind`);
    brokers[parsed.kind] = parsed.url;
  }
  return brokers;
}

/** The user's brokers answer, or the run stops before it starts (exit 2), saying which does not and why. */
export async function probeBrokers(given: Partial<Record<BrokerKind, string>>): Promise<void> {
  for (const [kind, url] of Object.entries(given) as Array<[BrokerKind, string]>) {
    try {
      await brokerOfKind(kind).probe(url);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const why = typeof code === 'string' ? code : (error as Error).message;
      throw new UsageError(`--broker ${url}: it does not answer (${why}); start your broker, or leave --broker out and push-bench starts one for the run`);
    }
  }
}

/** The brokers a run would start but cannot, this machine lacking their program: each with the install command. */
export function brokerProblems(scenario: Scenario, transports: readonly TransportPlan[], given: Partial<Record<BrokerKind, string>>) {
  const kinds = new Set(transports.flatMap((plan) => transportModule(plan.name).broker ?? []));
  return [...kinds].flatMap((kind) => {
    const missing = given[kind] === undefined ? brokerOfKind(kind).missing() : null;
    return missing === null ? [] : [{ code: 'broker' as const, message: `${scenario.name}: ${missing}; or point at your own with --broker` }];
  });
}

/**
 * `serverProcesses`: the reference server's (--server-processes, or the scenario's); undefined for
 * a --target run. `segment`: this machine holds only that segment's clients, connecting at the
 * whole fleet's pace (its share of the ramp), so the check is of them.
 */
export function checkMachine(
  scenario: Scenario,
  transports: number,
  shards: number | undefined,
  serverHost: string | undefined,
  serverProcesses?: number,
  segment?: { clients: number },
): Preflight {
  const clients = segment?.clients ?? scenario.clients.count;
  const share = scenario.clients.count > 0 ? clients / scenario.clients.count : 1;
  return preflight({
    ...(serverHost === undefined ? {} : { serverHost }),
    clients,
    clientProcesses: shards ?? defaultShards(clients),
    ...(serverProcesses === undefined ? {} : { serverProcesses }),
    rampUpMs: scenario.clients.rampUpMs * share,
    transports,
    nginx: scenario.intermediary?.kind === 'nginx',
  });
}

/**
 * What stops the reference server from being laid out as asked: a split it cannot serve, or a
 * backplane program this machine lacks (with the apt-get line). Each is bad input: exit 2.
 */
export function serverLayoutProblems(scenario: Scenario, transports: readonly TransportPlan[], layout: { processes: number; backplane: Backplane }) {
  if (layout.processes === 1 && layout.backplane === 'direct') return [];
  const split = `${layout.processes} server process${layout.processes === 1 ? '' : 'es'} (backplane ${layout.backplane})`;
  const secure = transports.find((plan) => transportModule(plan.name).server?.secure);
  const why = whyNotSharded(scenario) ?? (secure ? `a secure transport (${runName(secure)}); leave it out with --transports` : null);
  const problems: Array<{ code: 'server'; message: string }> = [];
  if (why !== null) problems.push({ code: 'server', message: `${scenario.name}: ${split} cannot serve ${why}; use one server process (--server-processes 1)` });
  const missing = backplaneMissing(layout.backplane);
  if (missing !== null) problems.push({ code: 'server', message: `${scenario.name}: server.backplane ${layout.backplane}: ${missing}` });
  return problems;
}

export function parseRepeat(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`--repeat ${JSON.stringify(text)}: use a whole number from 1 to 100, e.g. --repeat 5`);
  return n;
}

export function selectTransports(scenario: Scenario, text: string | undefined): TransportPlan[] {
  if (text === undefined) return scenario.transports;
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  // A transport's name selects all its runs; `name/label` one of them.
  const picks = (plan: TransportPlan, name: string) => plan.name === name || runName(plan) === name;
  for (const name of names) {
    if (!isTransportName(name) && !isTransportName(RUN_KEY.exec(name)?.[1] ?? '')) {
      throw new UsageError(`--transports: unknown transport "${name}"; valid transports: ${TRANSPORT_NAMES.join(', ')}`);
    }
    if (!scenario.transports.some((plan) => picks(plan, name))) {
      throw new UsageError(`--transports: scenario ${scenario.name} does not run "${name}"; it runs ${scenario.transports.map(runName).join(', ')}`);
    }
  }
  const selected = scenario.transports.filter((plan) => names.some((name) => picks(plan, name)));
  if (selected.length === 0) throw new UsageError('--transports: name at least one transport, e.g. --transports sse,websocket');
  return selected;
}
