/**
 * The one list of transports. Names, the scenario's `transports:` keys and their settings, the
 * JSON Schema, planning, the reference server's routes, the client processes, the models and
 * the run order all derive from it. Order matters: a scenario's transports run, and are
 * reported, in this order — pull first, then push.
 */
import { amqpConsumeTransport } from './amqp-consume/index.js';
import { amqpGetTransport } from './amqp-get/index.js';
import { mqttTransport } from './mqtt/index.js';
import { httpStreamTransport } from './http-stream/index.js';
import { longPollingTransport } from './long-polling/index.js';
import type { AnyTransportModule, SettingsOf } from './module.js';
import { pollingTransport } from './polling/index.js';
import { sseTransport } from './sse/index.js';
import { sseH2Transport } from './sse-h2/index.js';
import { websocketTransport } from './websocket/index.js';

export const TRANSPORTS = [
  pollingTransport,
  longPollingTransport,
  amqpGetTransport,
  sseTransport,
  sseH2Transport,
  httpStreamTransport,
  websocketTransport,
  amqpConsumeTransport,
  mqttTransport,
] as const satisfies readonly AnyTransportModule[];

type CatalogModule = (typeof TRANSPORTS)[number];

export type TransportName = CatalogModule['name'];
export type TransportModuleOf<K extends TransportName> = Extract<CatalogModule, { name: K }>;
export type TransportSettings = { [K in TransportName]: SettingsOf<TransportModuleOf<K>> };
/**
 * A transport to run with its settings; `name` decides the settings' type. `label` names one of
 * several runs of the same transport with other settings (a scenario key `amqp-consume/p1`).
 */
export type TransportPlan = { [K in TransportName]: { name: K; settings: TransportSettings[K]; label?: string } }[TransportName];

/** What a plan's run is called in results, tables, thresholds and --transports: its transport's name, or `name/label`. */
export function runName(plan: { name: string; label?: string | undefined }): string {
  return plan.label === undefined ? plan.name : `${plan.name}/${plan.label}`;
}

/** A scenario key for another run of a transport, `<transport>/<label>`: a label has no dot, so `run.figure` in a threshold stays unambiguous. */
export const RUN_KEY = /^([a-z0-9-]+)\/([A-Za-z0-9_-]{1,32})$/;

export const TRANSPORT_NAMES: readonly TransportName[] = TRANSPORTS.map((module) => module.name);

/** A module with an endpoint on the reference server: every transport but a broker's. */
export type ServedModule = AnyTransportModule & { server: NonNullable<AnyTransportModule['server']> };
/** The names of the transports the reference server serves. */
export type ServedTransportName = Extract<CatalogModule, { server: object }>['name'];

/** The modules of `catalog` that the reference server serves, in its order. */
export function servedModules(catalog: readonly AnyTransportModule[] = TRANSPORTS): ServedModule[] {
  return catalog.filter((module): module is ServedModule => module.server !== undefined);
}

export function isTransportName(name: string): name is TransportName {
  return (TRANSPORT_NAMES as readonly string[]).includes(name);
}

class UnknownTransportError extends Error {
  constructor(
    readonly transport: string,
    catalog: readonly AnyTransportModule[] = TRANSPORTS,
  ) {
    super(`unknown transport "${transport}"; valid transports: ${catalog.map((module) => module.name).join(', ')}`);
    this.name = 'UnknownTransportError';
  }
}

/** A name from the command line or a scenario, checked; unknown names list the valid ones. */
export function parseTransportName(name: string): TransportName {
  if (!isTransportName(name)) throw new UnknownTransportError(name);
  return name;
}

/**
 * The module of a transport name, for code that walks plans of any transport: its settings are
 * the plan's own, passed through unread, so the module is seen with settings of any type.
 */
export function transportModule(name: string, catalog: readonly AnyTransportModule[] = TRANSPORTS): AnyTransportModule {
  const found = catalog.find((module) => module.name === name);
  if (!found) throw new UnknownTransportError(name, catalog);
  return found;
}
