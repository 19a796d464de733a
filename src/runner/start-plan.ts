/**
 * What a run starts before its first phase and stops after its last, each repeat, with the time
 * that takes: the part of the planned wall time that is not the scenario's own steps. The same
 * choices as runScenario makes (run.ts): the reference server unless a target is given, a broker
 * for each broker transport the user did not point at their own, nginx, the shaping proxies.
 */
import type { Scenario } from '../scenario/scenario.js';
import type { PlannedStart } from '../scenario/timeline.js';
import type { TransportPlan } from '../transports/catalog.js';
import { transportModule } from '../transports/catalog.js';
import type { BrokerKind } from '../transports/module.js';
import { brokerOfKind } from './brokers.js';
import { backplaneStart } from './backplane-process.js';
import { needsProxy } from './proxy-process.js';
import { serverLayoutOf } from './run.js';

/** Estimates of start plus stop, ms, measured on a 2-core machine. */
const ESTIMATES = {
  /** A reference server process: ready in 0.50–0.60 s, stopped in 0.01 s (several start one after another). */
  server: 600,
  /** nginx: ready in 0.07–0.09 s. */
  nginx: 100,
  /** The shaping proxies, started together: ready in 0.13–0.16 s. */
  proxies: 200,
} as const;

export interface StartChoices {
  /** The run measures a server someone else runs (--target): none is started. */
  target?: boolean;
  /** Brokers the user runs (--broker), by kind: not started. */
  brokers?: Partial<Record<BrokerKind, string>>;
  /** --server-processes, over the scenario's server.processes and the default. */
  serverProcesses?: number;
}

export function plannedStarts(scenario: Scenario, transports: readonly TransportPlan[], choices: StartChoices = {}): PlannedStart[] {
  const starts: PlannedStart[] = [];
  if (!choices.target) {
    const layout = serverLayoutOf(scenario, choices.serverProcesses);
    // The backplane first: each server process subscribes to it before it says ready.
    if (layout.backplane !== 'direct') starts.push(backplaneStart(layout.backplane));
    const what = layout.processes === 1 ? 'the reference server' : `${layout.processes} reference server processes`;
    starts.push({ what, ms: layout.processes * ESTIMATES.server });
  }
  const kinds = new Set(transports.flatMap((plan) => transportModule(plan.name).broker ?? []));
  for (const kind of kinds) {
    if (choices.brokers?.[kind] !== undefined) continue;
    const broker = brokerOfKind(kind);
    starts.push({ what: broker.program, ms: broker.startStopMs });
  }
  if (scenario.intermediary?.kind === 'nginx') starts.push({ what: 'nginx', ms: ESTIMATES.nginx });
  if (needsProxy(scenario)) starts.push({ what: 'the shaping proxies', ms: ESTIMATES.proxies });
  return starts;
}
