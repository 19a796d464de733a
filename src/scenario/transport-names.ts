/** The transports a scenario can run, in the order they run when a scenario lists none. */
export const TRANSPORT_NAMES = ['polling', 'long-polling', 'sse', 'websocket'] as const;

export type TransportName = (typeof TRANSPORT_NAMES)[number];

export function isTransportName(name: string): name is TransportName {
  return (TRANSPORT_NAMES as readonly string[]).includes(name);
}
