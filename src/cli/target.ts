/**
 * `run --target URL`: a server that is already running, measured instead of a reference server
 * of push-bench's own: one that speaks the wire contract (docs/protocol.md), or one an adapter
 * translates for (`nchan+http://…`, src/targets/). Checked before anything runs: a target that is
 * not there, or is not the kind of server its URL says, is bad input (exit 2), said at once
 * rather than as a run of failed requests.
 */
import { isLoopback } from '../net/loopback.js';
import { ProcessWatch } from '../tool/process-usage.js';
import { parseTargetUrl, type TargetOptions, type TargetUrl } from '../targets/catalog.js';
import type { Scenario } from '../scenario/scenario.js';
import { transportModule, type TransportPlan } from '../transports/catalog.js';
import { UsageError } from './exit-codes.js';

export interface Target extends TargetUrl {
  loopback: boolean;
}

/** The reference server push-bench starts itself, named in a side-by-side --target list. */
export const REFERENCE = 'ref';

/** One server a scenario runs on: the reference server, or a running target. */
export type RunsOn = typeof REFERENCE | Target;

/** `--target a[,b…]`: URLs, or `ref` for the reference server, to run each scenario on each, side by side. */
export function parseTargetList(text: string): RunsOn[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === ''))
    throw new UsageError(`--target ${JSON.stringify(text)}: an empty entry; write e.g. --target ref,nchan+http://127.0.0.1:8080`);
  return entries.map((entry) => (entry === REFERENCE ? REFERENCE : parseTarget(entry)));
}

/** Where a scenario runs: --target's servers, else its own `target:`, else the reference server. */
export function serversOf(scenario: Scenario, fromFlag: readonly RunsOn[] | undefined): RunsOn[] {
  if (fromFlag) return [...fromFlag];
  if (scenario.target?.url) return [parseTarget(scenario.target.url)];
  return [REFERENCE];
}

/** `target.paths` place an adapter's endpoints: written for a run with no such server, they would be ignored without a word. */
export function checkPathsUsed(scenario: Scenario, servers: readonly RunsOn[]): void {
  const paths = Object.keys(scenario.target?.paths ?? {});
  if (paths.length === 0 || servers.some((server) => server !== REFERENCE && server.adapter.prefix !== '')) return;
  throw new UsageError(
    `${scenario.name}: target.paths (${paths.join(', ')}) place the endpoints of an adapter's server, and this run measures none; ` +
      'name one (target.url or --target nchan+http://…), or remove target.paths',
  );
}

/** A short name for a server, to tell side-by-side results apart (their folders, the comparison). */
export function serverLabel(server: RunsOn): string {
  if (server === REFERENCE) return REFERENCE;
  return server.adapter.name === 'contract' ? 'target' : server.adapter.name;
}

function parseTarget(text: string): Target {
  try {
    const parsed = parseTargetUrl(text);
    return { ...parsed, loopback: isLoopback(parsed.host) };
  } catch (error) {
    throw new UsageError(`--target ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
}

/** The target answers as its kind of server does (the contract's GET /health, nchan's publisher), or the run is refused. */
export async function checkTarget(target: Target, options: TargetOptions = {}): Promise<void> {
  const problem = await target.adapter.probe(target.url, options);
  if (problem !== null) throw new UsageError(`--target ${target.adapter.prefix}${target.url}: ${problem}`);
}

/**
 * The target can carry the scenario: every transport the run asks for is one it serves, with
 * settings it can honour, and a real nginx in front of it (which proxies to a loopback port) has
 * it on this machine.
 */
export function checkTargetFits(target: Target, scenario: Scenario, transports: readonly TransportPlan[]): void {
  const { adapter } = target;
  const where = `${scenario.name}: target ${adapter.prefix}${target.url}`;
  if (scenario.intermediary?.kind === 'nginx' && !target.loopback) {
    throw new UsageError(`${where}: intermediary: nginx runs on this machine and proxies to a loopback port; this target is not on loopback`);
  }
  if (scenario.chat && !adapter.chat) {
    throw new UsageError(
      `${where}: ${adapter.name} has no chat rooms for the clients to send to; run the chat against the reference server or a wire-contract target`,
    );
  }
  for (const plan of transports) {
    if (transportModule(plan.name).server?.secure) {
      throw new UsageError(
        `${where}: ${plan.name} runs over the reference server's own TLS listener, with a certificate made for the run; it cannot be pointed at a target yet: leave it out with --transports`,
      );
    }
    // A broker's transport goes to its broker, whatever the target.
    if (!adapter.transports.includes(plan.name) && transportModule(plan.name).broker === undefined) {
      throw new UsageError(
        `${where}: ${adapter.name} does not serve ${plan.name} (it serves ${adapter.transports.join(', ')}); leave it out with --transports`,
      );
    }
    const refusal = adapter.refuses(plan.name, plan.settings);
    if (refusal !== null) throw new UsageError(`${where}: ${refusal}`);
  }
}

/** Each target of the run once (a target with other paths counts apart), with a scenario that names its paths. */
export function uniqueTargets(plans: ReadonlyArray<{ scenario: Scenario; target: Target | undefined }>): Array<{ target: Target; scenario: Scenario }> {
  const seen = new Map<string, { target: Target; scenario: Scenario }>();
  for (const { scenario, target } of plans) {
    if (!target) continue;
    const key = `${target.adapter.prefix}${target.url} ${JSON.stringify(scenario.target?.paths ?? {})}`;
    if (!seen.has(key)) seen.set(key, { target, scenario });
  }
  return [...seen.values()];
}

/** `--target-pid PID`: the target's process on this machine, whose CPU and memory /proc can tell. */
export function parseTargetPid(text: string | undefined, targets: readonly Target[]): number | undefined {
  if (text === undefined) return undefined;
  if (targets.length === 0) throw new UsageError('--target-pid names the process of a --target server; give --target URL as well');
  if (targets.length > 1)
    throw new UsageError(`--target-pid names one process, and the run has ${targets.length} targets; run them one at a time to watch each`);
  const target = targets[0]!;
  const pid = Number(text);
  if (!/^\d{1,10}$/.test(text) || !Number.isSafeInteger(pid) || pid < 1) {
    throw new UsageError(`--target-pid ${JSON.stringify(text)} is not a process id; write e.g. --target-pid 4242 (see pgrep)`);
  }
  if (!target.loopback) throw new UsageError(`--target-pid: the target ${target.host} is another host; only a process on this machine can be read`);
  if (!new ProcessWatch(pid).readable()) {
    throw new UsageError(`--target-pid ${pid}: no process this user can read in /proc/${pid}; check the id (pgrep) and that it runs on this machine`);
  }
  return pid;
}
