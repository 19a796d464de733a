import type { ServerResponse } from 'node:http';
import { answerBounds, answerPoll, clientAndCursor } from '../../server/cursor.js';
import type { EndpointContext, TransportEndpoint } from '../module.js';

/** Short polling needs no server options: every poll is answered at once. */
export type PollingServerOptions = Record<string, never>;

/** GET /poll: answers at once with every retained event after the cursor, an empty list when there is nothing new. */
export function pollingEndpoint({ server, counters }: EndpointContext<PollingServerOptions>): TransportEndpoint {
  const handle = (_req: unknown, res: ServerResponse, query: URLSearchParams): void => {
    const { client, cursor } = clientAndCursor(server, query);
    answerPoll(res, client, cursor, answerBounds(server, query), counters);
  };
  return { routes: [{ path: '/poll', method: 'GET', query: 'client=ID&after=SEQ[&limit=N]', handle }], closeAll: () => undefined };
}
