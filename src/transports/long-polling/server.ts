import type { ServerResponse } from 'node:http';
import { answerBounds, answerPoll, clientAndCursor } from '../../server/cursor.js';
import type { AnswerBounds } from '../../server/wire.js';
import { integerParam } from '../../server/http-utils.js';
import { checkInteger } from '../../server/option-checks.js';
import type { Client, Subscriber } from '../../server/store.js';
import type { EndpointContext, EndpointRoute, TransportEndpoint } from '../module.js';

export interface LongPollServerOptions {
  /** Hold time when the request names none (`&timeout=MS`), ms. */
  defaultTimeoutMs: number;
  /** Longest hold a request may ask for, ms. */
  maxTimeoutMs: number;
}

export const LONG_POLL_SERVER_DEFAULTS: LongPollServerOptions = { defaultTimeoutMs: 30_000, maxTimeoutMs: 120_000 };

export function checkLongPollServerOptions(o: LongPollServerOptions): void {
  checkInteger('transports.long-polling.maxTimeoutMs', o.maxTimeoutMs, 0, 2 ** 31 - 1);
  checkInteger('transports.long-polling.defaultTimeoutMs', o.defaultTimeoutMs, 0, o.maxTimeoutMs);
}

type Context = EndpointContext<LongPollServerOptions>;

/**
 * GET /long-poll: answers at once when there is something after the cursor, otherwise holds the
 * request as a subscriber until an event arrives (200) or the timeout passes (204). Every way
 * out (event, timeout, client gone, shutdown) goes through `release`, so no waiter, timer or
 * listener outlives its request.
 */
export class LongPollEndpoint implements TransportEndpoint {
  private readonly waiters = new Set<Waiter>();
  readonly routes: readonly EndpointRoute[] = [
    { path: '/long-poll', method: 'GET', query: 'client=ID&after=SEQ&timeout=MS[&limit=N]', handle: (_req, res, query) => this.handle(res, query) },
  ];

  constructor(private readonly ctx: Context) {}

  handle(res: ServerResponse, query: URLSearchParams): void {
    const { options, counters } = this.ctx;
    const { client, cursor } = clientAndCursor(this.ctx.server, query);
    const timeoutMs = integerParam(query, 'timeout', options.defaultTimeoutMs, options.maxTimeoutMs);
    const bounds = answerBounds(this.ctx.server, query);
    if (client.log.lastSeq > cursor) {
      answerPoll(res, client, cursor, bounds, counters);
    } else if (timeoutMs === 0) {
      answerEmpty(res, this.ctx);
    } else {
      this.waiters.add(new Waiter(this.ctx, res, client, cursor, bounds, timeoutMs, this.waiters));
    }
  }

  /** Answers every held request with 204 (server shutdown or POST /reset). */
  closeAll(): void {
    for (const waiter of this.waiters) waiter.timeOut(false);
  }
}

function answerEmpty(res: ServerResponse, ctx: Context): void {
  ctx.counters.emptyResponses++;
  res.writeHead(204, { 'Cache-Control': 'no-store' });
  res.end();
}

class Waiter implements Subscriber {
  private readonly timer: NodeJS.Timeout;
  private released = false;
  private readonly onClose = (): void => {
    this.release();
  };

  constructor(
    private readonly ctx: Context,
    private readonly res: ServerResponse,
    private readonly client: Client,
    private readonly cursor: number,
    private readonly bounds: AnswerBounds,
    timeoutMs: number,
    private readonly registry: Set<Waiter>,
  ) {
    ctx.server.store.subscribe(client, this);
    ctx.counters.open++;
    this.timer = setTimeout(() => this.timeOut(true), timeoutMs);
    res.once('close', this.onClose);
  }

  onEvents(): void {
    if (!this.release()) return;
    answerPoll(this.res, this.client, this.cursor, this.bounds, this.ctx.counters);
  }

  timeOut(counted: boolean): void {
    if (!this.release()) return;
    if (counted) this.ctx.counters.timeouts++;
    answerEmpty(this.res, this.ctx);
  }

  /** Returns false when already released (only the first way out answers). */
  private release(): boolean {
    if (this.released) return false;
    this.released = true;
    clearTimeout(this.timer);
    this.res.off('close', this.onClose);
    this.ctx.server.store.unsubscribe(this.client, this);
    this.ctx.counters.open--;
    this.registry.delete(this);
    return true;
  }
}
