import type { z } from 'zod';
import { oneOf, strictMapping, wholeNumber } from '../../scenario/fields.js';

/** `transports.amqp-consume` in a scenario. */
export const amqpConsumeSettings = strictMapping(
  {
    prefetch: wholeNumber(1, 65_535, '10').default(100).meta({
      description:
        'Messages the broker may push to a consumer before it acknowledges them (basic.qos); with ack: auto it has no effect, as the broker counts nothing unacknowledged. Default 100.',
    }),
    ack: oneOf(['manual', 'auto']).default('manual').meta({
      description:
        'manual: the consumer acknowledges each message once it has handled it, and the broker keeps and redelivers what was not; auto: a message counts as delivered once sent. Default manual.',
    }),
  },
  '{ prefetch: 10, ack: manual }',
);

export type AmqpConsumeSettings = z.output<typeof amqpConsumeSettings>;
