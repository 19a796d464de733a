/**
 * `run --target URL`: a server that is already running and speaks the wire contract
 * (docs/protocol.md), measured instead of a reference server of push-bench's own. Checked before
 * anything runs: a target that is not there, or is not a push-bench server, is bad input (exit 2),
 * said at once rather than as a run of failed requests.
 */
import { request } from 'undici';
import { isLoopback } from '../net/loopback.js';
import { ProcessWatch } from '../tool/process-usage.js';
import { UsageError } from './exit-codes.js';

/** How long the check waits for /health: a server that takes longer will not carry a run. */
const HEALTH_TIMEOUT_MS = 5_000;

export interface Target {
  /** Base URL, no trailing slash. */
  url: string;
  host: string;
  loopback: boolean;
}

export function parseTarget(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--target ${JSON.stringify(text)} is not a URL; write e.g. --target http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--target ${JSON.stringify(text)}: push-bench speaks http: and https:, not ${url.protocol}; write e.g. --target http://127.0.0.1:8080`,
    );
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new UsageError(`--target ${JSON.stringify(text)}: give the server's base URL, without a path or query (its endpoints are /poll, /sse, /ws, …)`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { url: url.origin, host, loopback: isLoopback(host) };
}

/** GET /health must answer 200 {"ok": true}; anything else says what the target is not. */
export async function checkTarget(target: Target): Promise<void> {
  let status: number;
  let body: string;
  try {
    const response = await request(`${target.url}/health`, { headersTimeout: HEALTH_TIMEOUT_MS, bodyTimeout: HEALTH_TIMEOUT_MS });
    status = response.statusCode;
    body = (await response.body.text()).slice(0, 200);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `--target ${target.url}: nothing answers there (${typeof code === 'string' ? code : (error as Error).message}); start the server first, or check the host and port`,
    );
  }
  if (!(status === 200 && answersOk(body))) {
    throw new UsageError(
      `--target ${target.url}: GET /health answered ${status} ${JSON.stringify(body)}, not 200 {"ok": true}: this is not a server that speaks push-bench's wire contract (docs/protocol.md)`,
    );
  }
}

function answersOk(body: string): boolean {
  try {
    return (JSON.parse(body) as { ok?: unknown } | null)?.ok === true;
  } catch {
    return false;
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
