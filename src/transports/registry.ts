import { createLongPollingClient } from './long-polling.js';
import { createPollingClient } from './polling.js';
import { createSseClient } from './sse.js';
import { TRANSPORT_NAMES, isTransportName } from '../scenario/transport-names.js';
import type { TransportFactory, TransportName } from './types.js';
import { createWebSocketClient } from './websocket.js';

/** Every simulated client, keyed by transport name; the key fixes the settings type. */
export const transportClients: { readonly [K in TransportName]: TransportFactory<K> } = {
  polling: createPollingClient,
  'long-polling': createLongPollingClient,
  sse: createSseClient,
  websocket: createWebSocketClient,
};

/** In the order results are reported: pull first, then push. */
export const transportNames: readonly TransportName[] = TRANSPORT_NAMES;

export { isTransportName };

export class UnknownTransportError extends Error {
  constructor(readonly transport: string) {
    super(`unknown transport "${transport}"; valid transports: ${transportNames.join(', ')}`);
    this.name = 'UnknownTransportError';
  }
}

/** A name from the command line or a scenario, checked; unknown names list the valid ones. */
export function parseTransportName(name: string): TransportName {
  if (!isTransportName(name)) throw new UnknownTransportError(name);
  return name;
}

/** The factory for a checked name. */
export function transportFactory<K extends TransportName>(name: K): TransportFactory<K> {
  return transportClients[name];
}
