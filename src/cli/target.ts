/**
 * `run --target URL`: a server that is already running, measured instead of a reference server
 * of push-bench's own: one that speaks the wire contract (docs/protocol.md), or one an adapter
 * translates for (`nchan+http://…`, src/targets/). Checked before anything runs: a target that is
 * not there, or is not the kind of server its URL says, is bad input (exit 2), said at once
 * rather than as a run of failed requests.
 */
import { isLoopback } from '../net/loopback.js';
import { ProcessWatch } from '../tool/process-usage.js';
import { adapterOfUrl, type TargetAdapter, type TargetOptions } from '../targets/catalog.js';
import type { TransportPlan } from '../transports/catalog.js';
import { UsageError } from './exit-codes.js';

export interface Target {
  /** Base URL, http(s), without the adapter's prefix; no trailing slash. */
  url: string;
  host: string;
  loopback: boolean;
  adapter: TargetAdapter;
}

export function parseTarget(text: string): Target {
  let adapter: TargetAdapter;
  let url: URL;
  try {
    const named = adapterOfUrl(text);
    adapter = named.adapter;
    url = new URL(named.url);
  } catch (error) {
    const why = error instanceof RangeError ? `: ${error.message}` : ' is not a URL';
    throw new UsageError(`--target ${JSON.stringify(text)}${why}; write e.g. --target http://127.0.0.1:8080 or --target nchan+http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--target ${JSON.stringify(text)}: push-bench speaks http: and https:, not ${url.protocol}; write e.g. --target http://127.0.0.1:8080`,
    );
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new UsageError(
      `--target ${JSON.stringify(text)}: give the server's base URL, without a path or query (the endpoints' paths are the adapter's: docs/targets.md)`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { url: url.origin, host, loopback: isLoopback(host), adapter };
}

/** The target answers as its kind of server does (the contract's GET /health, nchan's publisher), or the run is refused. */
export async function checkTarget(target: Target, options: TargetOptions = {}): Promise<void> {
  const problem = await target.adapter.probe(target.url, options);
  if (problem !== null) throw new UsageError(`--target ${target.adapter.prefix}${target.url}: ${problem}`);
}

/** Every transport the run asks for is one the target serves, with settings it can honour. */
export function checkTargetTransports(target: Target, scenarioName: string, transports: readonly TransportPlan[]): void {
  for (const plan of transports) {
    const { adapter } = target;
    if (!adapter.transports.includes(plan.name)) {
      throw new UsageError(
        `${scenarioName}: --target ${adapter.prefix}${target.url}: ${adapter.name} does not serve ${plan.name} (it serves ${adapter.transports.join(', ')}); leave it out with --transports`,
      );
    }
    const refusal = adapter.refuses(plan.name, plan.settings);
    if (refusal !== null) throw new UsageError(`${scenarioName}: --target ${adapter.prefix}${target.url}: ${refusal}`);
  }
}

/** `--target-pid PID`: the target's process on this machine, whose CPU and memory /proc can tell. */
export function parseTargetPid(text: string | undefined, target: Target | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!target) throw new UsageError('--target-pid names the process of a --target server; give --target URL as well');
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
