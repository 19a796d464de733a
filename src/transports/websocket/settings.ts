import type { z } from 'zod';
import { flag, heartbeat, strictMapping } from '../../scenario/fields.js';

/** `transports.websocket` in a scenario. */
export const websocketSettings = strictMapping(
  {
    heartbeat: heartbeat().prefault('off'),
    compression: flag('true').default(false).meta({ description: 'permessage-deflate. Default false.' }),
  },
  '{ compression: false }',
).transform(({ heartbeat, compression }) => ({ heartbeatMs: heartbeat, compression }));

export type WebSocketSettings = z.output<typeof websocketSettings>;
