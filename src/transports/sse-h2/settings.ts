import type { z } from 'zod';
// The reference server refuses faster heartbeats; a scenario that asks for one is told before it runs.
import { MIN_HEARTBEAT_MS } from '../../server/http-utils.js';
import { heartbeat, strictMapping, wholeNumber } from '../../scenario/fields.js';

/** `transports.sse-h2` in a scenario. */
export const sseH2Settings = strictMapping(
  {
    heartbeat: heartbeat(MIN_HEARTBEAT_MS).prefault('off'),
    streamsPerConnection: wholeNumber(1, 1_000, '6').default(1).meta({
      description:
        'Clients whose streams share one HTTP/2 connection, as the tabs of one browser do; 1 = a connection per client, like separate devices. Default 1.',
    }),
  },
  '{ streamsPerConnection: 6 }',
).transform(({ heartbeat, streamsPerConnection }) => ({ heartbeatMs: heartbeat, streamsPerConnection }));

export type SseH2Settings = z.output<typeof sseH2Settings>;
