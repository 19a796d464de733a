/** What the transports' endpoints share: a client and its cursor from the query, and a poll's answer. */
import type { ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { badParameter } from './errors.js';
import { checkCursor, clientIdParam, integerParam, sendJsonText } from './http-utils.js';
import type { ChannelCounters } from './stats.js';
import type { Client } from './store.js';
import { pollAnswer, type AnswerBounds } from './wire.js';

/** Most events one poll answer carries, and the largest `limit` a request may ask for. */
const MAX_EVENTS_PER_ANSWER = 10_000;

/** Resolves `client` and `after` as the pull endpoints and WebSocket read them. */
export function clientAndCursor(ctx: ServerContext, query: URLSearchParams): { client: Client; cursor: number } {
  const client = ctx.store.resolve(clientIdParam(query), ctx.options.autoRegister);
  const cursor = checkCursor(integerParam(query, 'after', 0, Number.MAX_SAFE_INTEGER), client.log, 'after');
  ctx.store.evictExpired(client);
  return { client, cursor };
}

/** How much a poll or long poll may carry: `&limit=N` events (1 … 10,000) and the server's maxAnswerBytes. */
export function answerBounds(ctx: ServerContext, query: URLSearchParams): AnswerBounds {
  const maxEvents = integerParam(query, 'limit', MAX_EVENTS_PER_ANSWER, MAX_EVENTS_PER_ANSWER);
  if (maxEvents === 0) throw badParameter('limit', 'limit must be at least 1.');
  return { maxEvents, maxLength: ctx.options.maxAnswerBytes };
}

/**
 * Writes the 200 answer of a poll or long poll: the retained events after the cursor, as many
 * as the bounds allow (`"more": true` says the client should ask again from `next` at once).
 */
export function answerPoll(res: ServerResponse, client: Client, cursor: number, bounds: AnswerBounds, counters: ChannelCounters): void {
  const answer = pollAnswer(client.log, cursor, bounds);
  counters.eventsSent += answer.events;
  if (answer.gap) counters.gapEvents += answer.gap.to - answer.gap.from + 1;
  if (answer.events === 0 && !answer.gap) counters.emptyResponses++;
  sendJsonText(res, 200, answer.body);
}
