import { z } from 'zod';
import { oneOf, strictMapping } from '../../scenario/fields.js';

/** `transports.mqtt` in a scenario. */
export const mqttSettings = strictMapping(
  {
    qos: z
      .union([z.literal(0), z.literal(1)], { error: (issue) => `must be 0 or 1 (MQTT's at most once or at least once), got ${JSON.stringify(issue.input)}` })
      .default(1)
      .meta({
        description:
          "The subscriptions' quality of service: 0, at most once (nothing acknowledged, nothing kept); 1, at least once (each message acknowledged, redelivered when it was not). Default 1.",
      }),
    session: oneOf(['persistent', 'clean']).default('persistent').meta({
      description:
        "persistent: the broker keeps a client's subscriptions and the messages it missed while away, and hands them over when it comes back; clean: a client that goes away loses both. Default persistent.",
    }),
  },
  '{ qos: 1, session: persistent }',
);

export type MqttSettings = z.output<typeof mqttSettings>;
