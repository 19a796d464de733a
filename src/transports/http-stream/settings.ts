import type { z } from 'zod';
// The reference server refuses faster heartbeats; a scenario that asks for one is told before it runs.
import { MIN_HEARTBEAT_MS } from '../../server/http-utils.js';
import { heartbeat, strictMapping } from '../../scenario/fields.js';

/** `transports.http-stream` in a scenario. */
export const httpStreamSettings = strictMapping({ heartbeat: heartbeat(MIN_HEARTBEAT_MS).prefault('off') }, '{ heartbeat: 15s }').transform(
  ({ heartbeat }) => ({ heartbeatMs: heartbeat }),
);

export type HttpStreamSettings = z.output<typeof httpStreamSettings>;
