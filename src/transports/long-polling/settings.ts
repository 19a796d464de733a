import type { z } from 'zod';
import { duration, strictMapping } from '../../scenario/fields.js';

/** `transports.long-polling` in a scenario. */
export const longPollingSettings = strictMapping(
  {
    timeout: duration({ min: 100, max: 120_000, minText: '100ms', maxText: '120s' })
      .prefault('30s')
      .meta({ description: 'How long the server holds a request without events before answering empty. Default 30s.' }),
  },
  '{ timeout: 30s }',
).transform(({ timeout }) => ({ timeoutMs: timeout }));

export type LongPollingSettings = z.output<typeof longPollingSettings>;
