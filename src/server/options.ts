import type { AnyTransportModule, ServerOptionsOf } from '../transports/module.js';
import { servedModules, TRANSPORTS, type ServedTransportName, type TransportModuleOf } from '../transports/catalog.js';
import { defaultMaxConnections } from './fd-limit.js';
import { checkBoolean, checkInteger } from './option-checks.js';

/**
 * Server settings. Every figure that shapes what a client sees (retention, limits, heartbeats)
 * lives here so that a benchmark run can record exactly what it ran against.
 */
export interface RetentionOptions {
  /** Events kept per client; older ones are reported to a late client as a gap. */
  maxEventsPerClient: number;
  /** Events older than this (ms since they were published) are dropped from every client. */
  maxAgeMs: number;
}

export interface SlowConsumerOptions {
  /** Bytes a streaming connection may have queued in user space before the server stops writing to it. */
  maxBufferedBytes: number;
  /** A connection that stays blocked (no drain) this long is closed and counted as dropped. */
  stallTimeoutMs: number;
}

export interface ServerOptions {
  /** Interface to bind; the server has no authentication, so loopback unless told otherwise. */
  host: string;
  /** 0 = an ephemeral port chosen by the OS. */
  port: number;
  retention: RetentionOptions;
  /** Largest request body accepted by POST /publish and POST /clients; larger → 413. */
  maxBodyBytes: number;
  /** Largest payload one event may carry (payloadBytes or payload length). */
  maxPayloadBytes: number;
  /**
   * Most events one POST /publish may append, summed over its specs (recipients × specs, a
   * spec to "all" counting every registered client): a request that would do more work in one
   * turn of the event loop is refused with 413 fan_out_too_large. A single spec is always
   * accepted (its work is bounded by maxClients).
   */
  maxFanOutPerRequest: number;
  /**
   * Largest poll or long-poll answer, in UTF-16 code units of its JSON (bytes for ASCII
   * payloads); one event always fits. Past it the answer says `"more": true`.
   */
  maxAnswerBytes: number;
  /** Registered clients at most; each costs memory even when it never comes back. */
  maxClients: number;
  /**
   * Open TCP connections at most; a connection past it is answered 503 and closed at once, so
   * the server never runs out of file descriptors while serving the ones it has. null = no
   * bound of our own (the kernel's EMFILE, survived, is then the limit). Default: the process's
   * open-files limit less a reserve.
   */
  maxConnections: number | null;
  slowConsumer: SlowConsumerOptions;
  /** Each transport's own options (heartbeats, timeouts, frame limits), as its module defines them. */
  transports: TransportServerOptions;
  /** When set, control endpoints (POST /publish, /clients, /reset, /stats/reset) require `Authorization: Bearer <token>`. */
  token: string | null;
  /** A transport request for an unknown client registers it (for curl and demos; off in benchmark runs). */
  autoRegister: boolean;
  /**
   * PEM key and certificate: the server then speaks TLS, HTTP/2 negotiated by ALPN and HTTP/1.1
   * (and WebSocket upgrades) for clients that do not offer h2, all on the one port. null = plain HTTP/1.1.
   */
  tls: TlsOptions | null;
}

interface TlsOptions {
  key: string;
  cert: string;
}

type TransportServerOptions = { [K in ServedTransportName]: ServerOptionsOf<TransportModuleOf<K>> };

/** What callers pass: any subset, nested groups included. A `Partial<ServerOptions>` fits. */
export type ServerOptionsInput = {
  [K in Exclude<keyof ServerOptions, 'transports'>]?: ServerOptions[K] extends object ? Partial<ServerOptions[K]> : ServerOptions[K];
} & { transports?: { [K in ServedTransportName]?: Partial<TransportServerOptions[K]> } };

/** What the server keeps when nobody says: enough for a client away two minutes, or 1,000 events behind. */
export const DEFAULT_RETENTION: Readonly<RetentionOptions> = Object.freeze({ maxEventsPerClient: 1000, maxAgeMs: 120_000 });

const CORE_DEFAULTS: Readonly<Omit<ServerOptions, 'transports' | 'maxConnections'>> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  retention: DEFAULT_RETENTION,
  maxBodyBytes: 1024 * 1024,
  maxPayloadBytes: 1024 * 1024,
  // About 0.1–0.2 s of fan-out work on this project's machine (~120 ns per append).
  maxFanOutPerRequest: 1_000_000,
  maxAnswerBytes: 8 * 1024 * 1024,
  maxClients: 200_000,
  slowConsumer: { maxBufferedBytes: 1024 * 1024, stallTimeoutMs: 30_000 },
  autoRegister: false,
  token: null,
  tls: null,
});

/** Options in force: the input over the defaults, each transport's from its module in `catalog`. */
export function resolveServerOptions(input: ServerOptionsInput = {}, catalog: readonly AnyTransportModule[] = TRANSPORTS): ServerOptions {
  const d = CORE_DEFAULTS;
  const given: Record<string, object | undefined> = input.transports ?? {};
  const unknown = Object.keys(given).filter((name) => !servedModules(catalog).some((module) => module.name === name));
  if (unknown.length > 0)
    throw new RangeError(
      `server option transports.${unknown[0]}: no such transport; valid: ${servedModules(catalog)
        .map((m) => m.name)
        .join(', ')}`,
    );
  const transports = Object.fromEntries(
    servedModules(catalog).map((module) => [module.name, { ...module.server.defaults, ...given[module.name] }]),
  ) as TransportServerOptions;
  const options: ServerOptions = {
    host: input.host ?? d.host,
    port: input.port ?? d.port,
    retention: { ...d.retention, ...input.retention },
    maxBodyBytes: input.maxBodyBytes ?? d.maxBodyBytes,
    maxPayloadBytes: input.maxPayloadBytes ?? d.maxPayloadBytes,
    maxFanOutPerRequest: input.maxFanOutPerRequest ?? d.maxFanOutPerRequest,
    maxAnswerBytes: input.maxAnswerBytes ?? d.maxAnswerBytes,
    maxClients: input.maxClients ?? d.maxClients,
    maxConnections: input.maxConnections === undefined ? defaultMaxConnections() : input.maxConnections,
    slowConsumer: { ...d.slowConsumer, ...input.slowConsumer },
    transports,
    autoRegister: input.autoRegister ?? d.autoRegister,
    token: input.token === undefined ? d.token : input.token,
    tls: input.tls === undefined || input.tls === null ? d.tls : { key: input.tls.key ?? '', cert: input.tls.cert ?? '' },
  };
  validate(options);
  for (const module of servedModules(catalog)) module.server.check((options.transports as Record<string, unknown>)[module.name]);
  return options;
}

function validate(o: ServerOptions): void {
  if (typeof o.host !== 'string' || o.host.length === 0) throw new TypeError('server option host must be a non-empty string');
  checkInteger('port', o.port, 0, 65535);
  checkInteger('retention.maxEventsPerClient', o.retention.maxEventsPerClient, 1, 10_000_000);
  checkInteger('retention.maxAgeMs', o.retention.maxAgeMs, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('maxBodyBytes', o.maxBodyBytes, 1, 2 ** 31);
  checkInteger('maxPayloadBytes', o.maxPayloadBytes, 0, 2 ** 31);
  checkInteger('maxClients', o.maxClients, 1, 100_000_000);
  checkInteger('maxFanOutPerRequest', o.maxFanOutPerRequest, 1, 2 ** 31);
  // V8's strings stop at 2^29 − 24 code units; an answer must stay well below.
  checkInteger('maxAnswerBytes', o.maxAnswerBytes, 1, 2 ** 28);
  if (o.maxConnections !== null) checkInteger('maxConnections', o.maxConnections, 1, 100_000_000);
  checkInteger('slowConsumer.maxBufferedBytes', o.slowConsumer.maxBufferedBytes, 1, 2 ** 31);
  checkInteger('slowConsumer.stallTimeoutMs', o.slowConsumer.stallTimeoutMs, 1, 2 ** 31 - 1);
  checkBoolean('autoRegister', o.autoRegister);
  if (o.token !== null && (typeof o.token !== 'string' || o.token.length < 8))
    throw new RangeError('server option token must be a string of at least 8 characters, or null');
  if (o.tls !== null && !(isPem(o.tls.key, 'PRIVATE KEY') && isPem(o.tls.cert, 'CERTIFICATE')))
    throw new TypeError('server option tls must be { key, cert } as PEM strings (a private key and a certificate), or null');
}

function isPem(text: unknown, label: string): boolean {
  return typeof text === 'string' && text.includes(`-----BEGIN `) && text.includes(`${label}-----`);
}
