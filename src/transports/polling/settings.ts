import type { z } from 'zod';
import { duration, HOUR_MS, oneOf, strictMapping } from '../../scenario/fields.js';

/** `transports.polling` in a scenario. */
export const pollingSettings = strictMapping(
  {
    interval: duration({ min: 1, max: HOUR_MS, minText: '1ms', maxText: '1h' }).prefault('1s').meta({ description: 'Time between polls. Default 1s.' }),
    mode: oneOf(['fixed', 'chained'])
      .default('fixed')
      .meta({ description: 'fixed: a timer at the interval, independent of responses; chained: wait the interval after each response. Default fixed.' }),
  },
  '{ interval: 2s }',
).transform(({ interval, mode }) => ({ intervalMs: interval, mode }));

export type PollingSettings = z.output<typeof pollingSettings>;
