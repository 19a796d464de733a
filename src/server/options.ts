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

export interface SseOptions {
  /** Value of the `retry:` field sent first on every stream (the client's reconnect delay). */
  retryMs: number;
  /** Interval of `: hb` comments on an idle stream; 0 = off. Per connection: `&heartbeat=MS`. */
  heartbeatMs: number;
}

export interface WebSocketOptions {
  /** Interval of server pings; a connection that missed the previous pong is closed. 0 = off. */
  heartbeatMs: number;
  /** Accept permessage-deflate when the client offers it. Per connection: `&compress=0|1`. */
  compression: boolean;
  /** Largest frame a client may send; larger frames close the connection with 1009. */
  maxFrameBytes: number;
}

export interface LongPollOptions {
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
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
  /** Registered clients at most; each costs memory even when it never comes back. */
  maxClients: number;
  slowConsumer: SlowConsumerOptions;
  sse: SseOptions;
  websocket: WebSocketOptions;
  longPoll: LongPollOptions;
  /** A transport request for an unknown client registers it (for curl and demos; off in benchmark runs). */
  autoRegister: boolean;
}

/** What callers pass: any subset, nested groups included. A `Partial<ServerOptions>` fits. */
export type ServerOptionsInput = {
  [K in keyof ServerOptions]?: ServerOptions[K] extends object ? Partial<ServerOptions[K]> : ServerOptions[K];
};

export const DEFAULT_SERVER_OPTIONS: Readonly<ServerOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  retention: { maxEventsPerClient: 1000, maxAgeMs: 120_000 },
  maxBodyBytes: 1024 * 1024,
  maxPayloadBytes: 1024 * 1024,
  maxClients: 200_000,
  slowConsumer: { maxBufferedBytes: 1024 * 1024, stallTimeoutMs: 30_000 },
  sse: { retryMs: 1000, heartbeatMs: 0 },
  websocket: { heartbeatMs: 0, compression: false, maxFrameBytes: 64 * 1024 },
  longPoll: { defaultTimeoutMs: 30_000, maxTimeoutMs: 120_000 },
  autoRegister: false,
});

export function resolveServerOptions(input: ServerOptionsInput = {}): ServerOptions {
  const d = DEFAULT_SERVER_OPTIONS;
  const options: ServerOptions = {
    host: input.host ?? d.host,
    port: input.port ?? d.port,
    retention: { ...d.retention, ...input.retention },
    maxBodyBytes: input.maxBodyBytes ?? d.maxBodyBytes,
    maxPayloadBytes: input.maxPayloadBytes ?? d.maxPayloadBytes,
    maxClients: input.maxClients ?? d.maxClients,
    slowConsumer: { ...d.slowConsumer, ...input.slowConsumer },
    sse: { ...d.sse, ...input.sse },
    websocket: { ...d.websocket, ...input.websocket },
    longPoll: { ...d.longPoll, ...input.longPoll },
    autoRegister: input.autoRegister ?? d.autoRegister,
  };
  validate(options);
  return options;
}

function validate(o: ServerOptions): void {
  if (typeof o.host !== 'string' || o.host.length === 0) throw new TypeError('server option host must be a non-empty string');
  integer('port', o.port, 0, 65535);
  integer('retention.maxEventsPerClient', o.retention.maxEventsPerClient, 1, 10_000_000);
  integer('retention.maxAgeMs', o.retention.maxAgeMs, 1, Number.MAX_SAFE_INTEGER);
  integer('maxBodyBytes', o.maxBodyBytes, 1, 2 ** 31);
  integer('maxPayloadBytes', o.maxPayloadBytes, 0, 2 ** 31);
  integer('maxClients', o.maxClients, 1, 100_000_000);
  integer('slowConsumer.maxBufferedBytes', o.slowConsumer.maxBufferedBytes, 1, 2 ** 31);
  integer('slowConsumer.stallTimeoutMs', o.slowConsumer.stallTimeoutMs, 1, 2 ** 31 - 1);
  integer('sse.retryMs', o.sse.retryMs, 0, 2 ** 31 - 1);
  integer('sse.heartbeatMs', o.sse.heartbeatMs, 0, 2 ** 31 - 1);
  integer('websocket.heartbeatMs', o.websocket.heartbeatMs, 0, 2 ** 31 - 1);
  integer('websocket.maxFrameBytes', o.websocket.maxFrameBytes, 1, 2 ** 31);
  integer('longPoll.maxTimeoutMs', o.longPoll.maxTimeoutMs, 0, 2 ** 31 - 1);
  integer('longPoll.defaultTimeoutMs', o.longPoll.defaultTimeoutMs, 0, o.longPoll.maxTimeoutMs);
  if (typeof o.websocket.compression !== 'boolean') throw new TypeError('server option websocket.compression must be a boolean');
  if (typeof o.autoRegister !== 'boolean') throw new TypeError('server option autoRegister must be a boolean');
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`server option ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}
