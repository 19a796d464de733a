import type { z } from 'zod';
// The reference server refuses faster heartbeats; a scenario that asks for one is told before it runs.
import { MIN_HEARTBEAT_MS } from '../../server/http-utils.js';
import { flag, heartbeat, strictMapping } from '../../scenario/fields.js';

/** `transports.websocket` in a scenario. */
export const websocketSettings = strictMapping(
  {
    heartbeat: heartbeat(MIN_HEARTBEAT_MS).prefault('off'),
    compression: flag('true').default(false).meta({ description: 'permessage-deflate. Default false.' }),
  },
  '{ compression: false }',
).transform(({ heartbeat, compression }) => ({ heartbeatMs: heartbeat, compression }));

export type WebSocketSettings = z.output<typeof websocketSettings>;
