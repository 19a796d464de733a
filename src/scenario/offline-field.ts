/** `clients.offline`: clients that go offline now and then and come back (docs/conditions.md). */
import type { z } from 'zod';
import { OFFLINE_HOWS } from '../transports/offline.js';
import { HOUR_MS, duration, oneOf, strictMapping } from './fields.js';

export const offlineField = () =>
  strictMapping(
    {
      every: duration({ min: 1, max: HOUR_MS, minText: '1ms', maxText: '1h' }).meta({
        description: 'Mean time a client stays online between two offline spells (exponential, seeded).',
      }),
      for: duration({ min: 1, max: HOUR_MS, minText: '1ms', maxText: '1h' }).meta({
        description: 'Mean time a client stays offline (exponential, seeded); at most the measured duration.',
      }),
      how: oneOf(OFFLINE_HOWS)
        .default('close')
        .meta({ description: 'close: the client ends its connections cleanly; silent: all traffic stops both ways, no FIN or RST. Default close.' }),
    },
    '{ every: 60s, for: 10s, how: close }',
  ).transform(({ every, for: forMs, how }) => ({ everyMs: every, forMs, how }));

/** Clients going offline: mean online time, mean offline time (ms) and how. */
export type OfflineSettings = z.output<ReturnType<typeof offlineField>>;
