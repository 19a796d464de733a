/**
 * The scenario's `server:` key: how the reference server is laid out. One process holds fewer
 * clients than the open-file limit allows; more clients need several processes, and an event
 * must then reach every process that holds a recipient (the backplane).
 */
import { oneOf, strictMapping, wholeNumber } from './fields.js';

/** How an event reaches the server processes: split by the publisher, or through a real Redis or NATS. */
const BACKPLANES = ['direct', 'redis', 'nats'] as const;
export type Backplane = (typeof BACKPLANES)[number];

/** Server processes at most: far more than a machine's open-file limit ever asks for. */
export const MAX_SERVER_PROCESSES = 64;

export interface ServerLayout {
  /** Reference server processes; null: as many as the client count needs (runner/limits.ts). */
  processes: number | null;
  backplane: Backplane;
}

export function serverField() {
  return strictMapping(
    {
      processes: wholeNumber(1, MAX_SERVER_PROCESSES, '3').optional().meta({
        description:
          'Reference server processes the clients are spread over. Default: enough that each stays under the open-file limit (one up to ~19,900 clients here).',
      }),
      backplane: oneOf(BACKPLANES).default('direct').meta({
        description:
          'How each event reaches the processes that hold its recipients: direct (the publisher sends each process its part), redis or nats (published once to a Redis or NATS server started for the run; every process subscribes). Default direct.',
      }),
    },
    '{ processes: 3, backplane: redis }',
  ).transform((file): ServerLayout => ({ processes: file.processes ?? null, backplane: file.backplane }));
}

/**
 * Why the reference server cannot be split over processes in this scenario, or null. A chat's
 * rooms, a shaping proxy or nginx in front, and a server of someone else's all assume one
 * address to reach every client at; each would need its own routing per process, which is not built.
 */
export function whyNotSharded(scenario: { chat: unknown; network: unknown; intermediary: unknown; target: { url: string | null } | null }): string | null {
  if (scenario.chat) return 'a chat (its rooms live in one server process)';
  if (scenario.network) return 'network shaping (its proxies lead to one server address)';
  if (scenario.intermediary) return 'an intermediary (it leads to one server address)';
  if (scenario.target?.url) return 'a target (a server push-bench does not start)';
  return null;
}
