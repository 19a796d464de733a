/** What the transports' endpoints share: a client and its cursor from the query, and a poll's answer. */
import type { ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { checkCursor, clientIdParam, integerParam, sendJsonText } from './http-utils.js';
import type { ChannelCounters } from './stats.js';
import type { Client } from './store.js';
import { pollAnswer } from './wire.js';

/** Resolves `client` and `after` as the pull endpoints and WebSocket read them. */
export function clientAndCursor(ctx: ServerContext, query: URLSearchParams): { client: Client; cursor: number } {
  const client = ctx.store.resolve(clientIdParam(query), ctx.options.autoRegister);
  const cursor = checkCursor(integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER), client.log, 'after');
  ctx.store.evictExpired(client);
  return { client, cursor };
}

/** Writes the 200 answer of a poll or long poll: every retained event after the cursor. */
export function answerPoll(res: ServerResponse, client: Client, cursor: number, counters: ChannelCounters): void {
  const answer = pollAnswer(client.log, cursor);
  counters.eventsSent += answer.events;
  if (answer.gap) counters.gapEvents += answer.gap.to - answer.gap.from + 1;
  if (answer.events === 0 && !answer.gap) counters.emptyResponses++;
  sendJsonText(res, 200, answer.body);
}
