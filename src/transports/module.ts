/**
 * What one transport is made of. Each folder under src/transports/ exports one object that
 * satisfies `TransportModule`; src/transports/catalog.ts lists them. Every other part of
 * push-bench (scenario schema, planning, server routes, client processes, models, rules,
 * results) reads the catalog, so adding a transport is one folder plus one catalog line, and a
 * module that lacks a required piece does not compile.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { z } from 'zod';
import type { ClientLink, ExpectedFigures, OfflinePattern } from '../metrics/model.js';
import type { ServerContext } from '../server/context.js';
import type { ChannelCounters } from '../server/stats.js';
import type { ClientContext, TransportClient } from './types.js';

/**
 * What a transport's model and rules may know of the scenario, computed by the caller so that
 * a transport never depends on the scenario module (which depends on the catalog).
 */
export interface Workload {
  /** Mean events per second reaching one client. */
  ratePerClientPerS: number;
  /** Simulated clients. */
  clients: number;
  /** The share of the clients each event goes to: 1 for `all`, 1/clients for `one`. */
  recipientShare: number;
  arrival: 'poisson' | 'uniform' | 'burst';
  /** Measured window, ms. */
  durationMs: number;
  /** From the first connect to the end of the measured window (ramp + warm-up + window), ms. */
  phaseMs: number;
  /** Payload of each event, bytes. */
  payloadBytes: number;
  /** The emulated link between each client and the server (scenario `network`); null on loopback. */
  link: ClientLink | null;
  /** Clients going offline now and then (scenario `clients.offline`): mean online and offline times; null when they never do. */
  offline: OfflinePattern | null;
  /** Warm-up before the measured window, ms: offline spells are counted from its start. */
  warmupMs: number;
  /** An intermediary closes connections silent for this long (an idle timeout, or nginx's read timeout), ms; null when none does. */
  idleCutMs: number | null;
}

/** A problem in the scenario that only this transport knows about. */
export interface TransportFinding {
  severity: 'error' | 'warning';
  /** Path inside the transport's own entry, e.g. ['interval']; the caller prefixes transports.<name>. */
  path: string[];
  message: string;
}

type RouteHandler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

/** One HTTP route of a transport; its requests and bytes are counted on the transport's channel. */
export interface EndpointRoute {
  /** e.g. '/poll' */
  path: string;
  method: 'GET' | 'POST';
  /** The query a client sends, for the endpoint list `push-bench serve` prints, e.g. 'client=ID&after=SEQ'. */
  query?: string;
  handle: RouteHandler;
}

/** A transport's endpoint on one running reference server. */
export interface TransportEndpoint {
  routes: readonly EndpointRoute[];
  /** A WebSocket-style upgrade on `path`; errors before the handshake are the endpoint's to answer. */
  upgrade?: {
    path: string;
    /** As EndpointRoute.query. */
    query?: string;
    /** Called detached from this object (the server keeps the function only), so not a method. */
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer, query: URLSearchParams) => void;
  };
  /** Ends every open stream, connection and held request (server shutdown, POST /reset). */
  closeAll(): void | Promise<void>;
  /** Frees what outlives closeAll (e.g. a ws server); called once at shutdown. */
  close?(): void;
}

/** What the reference server gives a transport's endpoint. */
export interface EndpointContext<ServerOptions> {
  server: ServerContext;
  /** This transport's server options, defaults filled in. */
  options: ServerOptions;
  /** This transport's channel in /stats. */
  counters: ChannelCounters;
}

/** The server half of a transport. */
interface TransportServer<ServerOptions, Settings> {
  /** Defaults of this transport's server options (the reference server starts from them). */
  defaults: ServerOptions;
  /** Throws a RangeError/TypeError naming the bad option; the server refuses to start. */
  check(options: ServerOptions): void;
  /** The server options a scenario's settings decide (e.g. heartbeats); the rest keep their defaults. */
  fromSettings(settings: Settings): Partial<ServerOptions>;
  endpoint(ctx: EndpointContext<ServerOptions>): TransportEndpoint;
  /**
   * Served on the reference server's TLS listener only (HTTP/2 by ALPN), where its paths come
   * before a plain transport's of the same path; the server then needs its `tls` option.
   */
  secure?: true;
}

export interface TransportModule<Name extends string, Settings, ServerOptions> {
  name: Name;
  /** pull: the client asks (polls); push: the server sends on a held connection. */
  style: 'pull' | 'push';
  /** One line for docs and errors. */
  summary: string;
  /**
   * The scenario's `transports.<name>` entry: the only place its keys, units and defaults are
   * written. Input is what people write; output is the settings the client and server use.
   */
  settings: z.ZodType<Settings>;
  /** One simulated client. */
  createClient(ctx: ClientContext<Settings>): TransportClient;
  /** Its endpoint on the reference server (or on a target that speaks the wire contract); absent for a broker's transport. */
  server?: TransportServer<ServerOptions, Settings>;
  /**
   * The message broker that is this transport's server instead (src/targets/brokers.ts): the run
   * starts one, or uses the user's (--broker), publishes to it, and its clients speak its protocol.
   */
  broker?: BrokerKind;
  /** Whether clients count WebSocket-style frames (the result then carries `frames`). */
  framed: boolean;
  /** Extra wait after the measured window for events still in flight (e.g. one poll interval), ms. */
  drainExtraMs(settings: Settings): number;
  /** First-principles predictions for this transport, when it has a model; null when it has none for this workload. */
  model?(workload: Workload, settings: Settings): ExpectedFigures | null;
  /** Cross-field checks of the scenario that concern this transport. */
  rules?(workload: Workload, settings: Settings): TransportFinding[];
}

/** The protocols of the brokers push-bench speaks to. */
export type BrokerKind = 'amqp' | 'mqtt';

/** Any module, whatever its settings: what code that walks the catalog sees. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings are checked per module; a walker only passes them through
export type AnyTransportModule = TransportModule<string, any, any>;

export type SettingsOf<M> = M extends TransportModule<string, infer S, infer _O> ? S : never;
export type ServerOptionsOf<M> = M extends TransportModule<string, infer _S, infer O> ? O : never;
