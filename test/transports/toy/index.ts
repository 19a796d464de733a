/**
 * A toy transport, as a test fixture: proof that a transport is one folder. It reaches the
 * scenario schema, planning, rules, thresholds and the reference server through a copy of the
 * catalog, with no edit anywhere else.
 */
import { answerBounds, answerPoll, clientAndCursor } from '../../../src/server/cursor.js';
import type { TransportModule } from '../../../src/transports/module.js';
import { ToyClient } from './client.js';
import { toySettings, type ToySettings } from './settings.js';

export interface ToyServerOptions {
  /** Sent back in a header, so a test can see that server options reach the endpoint. */
  greeting: string;
}

export const toyTransport = {
  name: 'toy',
  style: 'pull',
  summary: 'A test fixture: GET /toy, answered as a poll.',
  settings: toySettings,
  createClient: (ctx) => new ToyClient(ctx),
  server: {
    defaults: { greeting: 'hello' },
    check: (options) => {
      if (options.greeting === '') throw new RangeError('server option transports.toy.greeting must not be empty');
    },
    fromSettings: () => ({}),
    endpoint: ({ server, options, counters }) => ({
      routes: [
        {
          path: '/toy',
          method: 'GET',
          handle: (_req, res, query) => {
            const { client, cursor } = clientAndCursor(server, query);
            res.setHeader('x-toy-greeting', options.greeting);
            answerPoll(res, client, cursor, answerBounds(server, query), counters);
          },
        },
      ],
      closeAll: () => undefined,
    }),
  },
  framed: false,
  drainExtraMs: (settings) => settings.everyMs,
  rules: (workload, settings) =>
    settings.everyMs > workload.durationMs ? [{ severity: 'warning', path: ['every'], message: 'polls less than once per window' }] : [],
} satisfies TransportModule<'toy', ToySettings, ToyServerOptions>;
