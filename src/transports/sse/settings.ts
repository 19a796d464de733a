import type { z } from 'zod';
import { heartbeat, strictMapping } from '../../scenario/fields.js';

/** `transports.sse` in a scenario. */
export const sseSettings = strictMapping({ heartbeat: heartbeat().prefault('off') }, '{ heartbeat: 15s }').transform(({ heartbeat }) => ({
  heartbeatMs: heartbeat,
}));

export type SseSettings = z.output<typeof sseSettings>;
