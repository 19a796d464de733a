/**
 * The servers push-bench can measure, one adapter each: the wire contract's (the reference
 * server, or any server that implements docs/protocol.md) and those that speak otherwise. A
 * target URL names its adapter by a scheme prefix (`nchan+http://…`); a plain http(s) URL is
 * the contract's.
 */
import { request } from 'undici';
import type { SeqOf } from '../transports/events.js';
import { TRANSPORT_NAMES, type TransportName } from '../transports/catalog.js';
import type { Dialect } from '../transports/wire.js';
import { ControlApi } from './contract/control.js';
import type { DialectSpec, TargetControl } from './control.js';
import { NchanControl } from './nchan/control.js';
import { nchanDialect } from './nchan/dialect.js';
import { NCHAN_DEFAULT_PATHS, type NchanPaths } from './nchan/layout.js';

/** How long a probe waits: a server that takes longer will not carry a run. */
const PROBE_TIMEOUT_MS = 5_000;

export interface TargetOptions {
  /** nchan's locations, when not the default layout. */
  paths?: Partial<NchanPaths>;
}

export interface TargetAdapter {
  name: 'contract' | 'nchan';
  /** What a URL starts with to name this adapter, before http:// or https://. */
  prefix: string;
  summary: string;
  /** The transports this kind of server serves. */
  transports: readonly TransportName[];
  /** Whether it serves a chat (rooms, and messages sent by the clients). */
  chat: boolean;
  /** The runner's side: publish, reset, figures. `foreign`: a server push-bench did not start. */
  control(url: string, options: TargetOptions & { foreign: boolean }): TargetControl;
  /** Why the server at `url` cannot be measured (nothing answers, or it is another kind of server), or null when it can. */
  probe(url: string, options: TargetOptions): Promise<string | null>;
  /** Why a transport's settings cannot hold for this server, or null. */
  refuses(transport: TransportName, settings: unknown): string | null;
}

/** What the nchan dialect speaks (dialect.ts): its pull wire serves both kinds of polling. */
const NCHAN_TRANSPORTS: readonly TransportName[] = ['polling', 'long-polling', 'sse', 'websocket'];

export const TARGET_ADAPTERS: readonly TargetAdapter[] = [
  {
    name: 'contract',
    prefix: '',
    summary: "a server that speaks push-bench's wire contract (docs/protocol.md): the reference server, or one of your own",
    transports: TRANSPORT_NAMES,
    chat: true,
    control: (url, { foreign }) => new ControlApi(url, { foreign }),
    probe: async (url) => {
      const answer = await probe(url, 'GET', '/health');
      if (typeof answer === 'string') return answer;
      if (answer.status === 200 && answersOk(answer.body)) return null;
      return `GET /health answered ${answer.status} ${JSON.stringify(answer.body)}, not 200 {"ok": true}: this is not a server that speaks push-bench's wire contract (docs/protocol.md)`;
    },
    refuses: () => null,
  },
  {
    name: 'nchan',
    prefix: 'nchan+',
    summary: 'nginx with the nchan module (Debian libnginx-mod-nchan), with a publisher and subscriber locations (docs/targets.md)',
    transports: NCHAN_TRANSPORTS,
    // Its clients only subscribe: a message would need a publisher's request of its own.
    chat: false,
    control: (url, options) => new NchanControl(url, nchanPaths(options)),
    probe: async (url, options) => {
      const { publish } = nchanPaths(options);
      // A message to a channel of its own: nchan's publisher answers 201 or 202 with its channel's figures.
      const answer = await probe(url, 'POST', `${publish}?id=push-bench-probe`, '{}');
      if (typeof answer === 'string') return answer;
      if ((answer.status === 201 || answer.status === 202) && answer.body.includes('queued messages')) return null;
      return `POST ${publish} answered ${answer.status} ${JSON.stringify(answer.body)}: not an nchan publisher location; give the paths of yours in the scenario's target: block (docs/targets.md)`;
    },
    refuses: (transport, settings) => {
      const heartbeatMs = (settings as { heartbeatMs?: number | null }).heartbeatMs;
      if (heartbeatMs === undefined || heartbeatMs === null) return null;
      return `transports.${transport}.heartbeat: nchan's pings are its own configuration (nchan_eventsource_ping_interval, nchan_websocket_ping_interval), not a client's to ask; remove the heartbeat from the scenario`;
    },
  },
];

function nchanPaths(options: TargetOptions): NchanPaths {
  return { ...NCHAN_DEFAULT_PATHS, ...options.paths };
}

/** A target URL, read: its adapter, and the base URL without the adapter's prefix. */
export interface TargetUrl {
  adapter: TargetAdapter;
  /** Origin only (scheme, host, port), no trailing slash. */
  url: string;
  /** Host name or address, without IPv6 brackets. */
  host: string;
}

/**
 * Reads a target URL (`http://host:port`, or an adapter's `nchan+http://host:port`); throws a
 * RangeError that says what is wrong with it and what to write instead.
 */
export function parseTargetUrl(text: string): TargetUrl {
  const match = /^([a-z][a-z0-9]*)\+/i.exec(text);
  const adapter = match ? TARGET_ADAPTERS.find((a) => a.prefix === `${match[1]!.toLowerCase()}+`) : TARGET_ADAPTERS[0]!;
  if (!adapter) {
    const known = TARGET_ADAPTERS.filter((a) => a.prefix !== '').map((a) => `${a.prefix}http://…`);
    throw new RangeError(`"${match![1]}+" names no server push-bench knows; write http://… for a wire-contract server, or ${known.join(', ')}`);
  }
  let url: URL;
  try {
    url = new URL(text.slice(adapter.prefix.length));
  } catch {
    throw new RangeError('this is not a URL; write e.g. http://127.0.0.1:8080 or nchan+http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`push-bench speaks http: and https:, not ${url.protocol}; write e.g. http://127.0.0.1:8080`);
  }
  if (url.pathname !== '/' || url.search !== '') {
    throw new RangeError("give the server's base URL, without a path or query (the endpoints' paths are the adapter's: docs/targets.md)");
  }
  return { adapter, url: url.origin, host: url.hostname.replace(/^\[|\]$/g, '') };
}

/** The dialect a client process speaks, from what the runner sent it; undefined for the wire contract. */
export function dialectOf(spec: DialectSpec, seqOf: SeqOf): Dialect | undefined {
  return spec === null || spec.adapter === 'broker' ? undefined : nchanDialect(spec, seqOf);
}

async function probe(url: string, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; body: string } | string> {
  try {
    const response = await request(`${url}${path}`, {
      method,
      headersTimeout: PROBE_TIMEOUT_MS,
      bodyTimeout: PROBE_TIMEOUT_MS,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    return { status: response.statusCode, body: (await response.body.text()).slice(0, 200) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `nothing answers there (${typeof code === 'string' ? code : (error as Error).message}); start the server first, or check the host and port`;
  }
}

function answersOk(body: string): boolean {
  try {
    return (JSON.parse(body) as { ok?: unknown } | null)?.ok === true;
  } catch {
    return false;
  }
}
