import type { z } from 'zod';
import { duration, HOUR_MS, oneOf, strictMapping } from '../../scenario/fields.js';

/** `transports.amqp-get` in a scenario. */
export const amqpGetSettings = strictMapping(
  {
    interval: duration({ min: 1, max: HOUR_MS, minText: '1ms', maxText: '1h' })
      .prefault('1s')
      .meta({ description: 'Time between two rounds of basic.get; each round gets until the queue answers empty. Default 1s.' }),
    ack: oneOf(['manual', 'auto'])
      .default('manual')
      .meta({ description: 'manual: each message got is acknowledged once handled; auto: it counts as delivered once sent. Default manual.' }),
  },
  '{ interval: 2s }',
).transform(({ interval, ack }) => ({ intervalMs: interval, ack }));

export type AmqpGetSettings = z.output<typeof amqpGetSettings>;
