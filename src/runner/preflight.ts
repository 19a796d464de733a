/**
 * Before a run starts: the source addresses the fleet needs, and what the machine's limits
 * say about the plan. One call for the command line: problems mean exit 2 before
 * anything starts; warnings are printed and kept with the result.
 */
import { checkLimits, readLimits, type LimitCheck, type LimitFacts } from './limits.js';
import { nginxProblems } from './nginx-process.js';
import { sourceAddressesFor } from './source-addresses.js';

export interface PreflightPlan {
  clients: number;
  clientProcesses: number;
  /** Reference server processes (default 1). */
  serverProcesses?: number;
  rampUpMs: number;
  transports: number;
  /** Source addresses given by the user; when absent they are chosen here. */
  localAddresses?: string[];
  serverHost?: string;
  /** The clients go through a real nginx: it must be installed and able to hold them all. */
  nginx?: boolean;
}

export interface Preflight extends LimitCheck {
  /** Pass to runScenario's `localAddresses` ([] = one address, the OS's choice). */
  localAddresses: string[];
}

export function preflight(plan: PreflightPlan, facts: LimitFacts = readLimits()): Preflight {
  const localAddresses = plan.localAddresses ?? sourceAddressesFor(plan.clients, facts, plan.serverHost, plan.serverProcesses);
  const check = checkLimits(facts, {
    clients: plan.clients,
    clientProcesses: plan.clientProcesses,
    ...(plan.serverProcesses ? { serverProcesses: plan.serverProcesses } : {}),
    sourceAddresses: Math.max(1, localAddresses.length),
    rampUpMs: plan.rampUpMs,
    transports: plan.transports,
  });
  const nginx = plan.nginx ? nginxProblems(plan.clients, facts.openFiles.hard).map((message) => ({ code: 'nginx' as const, message })) : [];
  return { ...check, problems: [...check.problems, ...nginx], localAddresses };
}
