import type { ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { integerParam } from './http-utils.js';
import { answerPoll, clientAndCursor } from './poll.js';
import type { Client, Subscriber } from './store.js';

/**
 * GET /long-poll: answers at once when there is something after the cursor, otherwise holds the
 * request as a subscriber until an event arrives (200) or the timeout passes (204). Every way
 * out (event, timeout, client gone, shutdown) goes through `release`, so no waiter, timer or
 * listener outlives its request.
 */
export class LongPollEndpoint {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly ctx: ServerContext) {}


  handle(res: ServerResponse, query: URLSearchParams): void {
    const { longPoll } = this.ctx.options;
    const { client, cursor } = clientAndCursor(this.ctx, query);
    const timeoutMs = integerParam(query, 'timeout', longPoll.defaultTimeoutMs, longPoll.maxTimeoutMs);
    const counters = this.ctx.stats.channels['long-polling'];
    if (client.log.lastSeq > cursor) {
      answerPoll(res, client, cursor, counters);
    } else if (timeoutMs === 0) {
      answerEmpty(res, this.ctx);
    } else {
      this.waiters.add(new Waiter(this.ctx, res, client, cursor, timeoutMs, this.waiters));
    }
  }

  /** Answers every held request with 204 (server shutdown or POST /reset). */
  closeAll(): void {
    for (const waiter of this.waiters) waiter.timeOut(false);
  }
}

function answerEmpty(res: ServerResponse, ctx: ServerContext): void {
  ctx.stats.channels['long-polling'].emptyResponses++;
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
    private readonly ctx: ServerContext,
    private readonly res: ServerResponse,
    private readonly client: Client,
    private readonly cursor: number,
    timeoutMs: number,
    private readonly registry: Set<Waiter>,
  ) {
    ctx.store.subscribe(client, this);
    ctx.stats.channels['long-polling'].open++;
    this.timer = setTimeout(() => this.timeOut(true), timeoutMs);
    res.once('close', this.onClose);
  }

  onEvents(): void {
    if (!this.release()) return;
    answerPoll(this.res, this.client, this.cursor, this.ctx.stats.channels['long-polling']);
  }

  timeOut(counted: boolean): void {
    if (!this.release()) return;
    if (counted) this.ctx.stats.channels['long-polling'].timeouts++;
    answerEmpty(this.res, this.ctx);
  }

  /** Returns false when already released (only the first way out answers). */
  private release(): boolean {
    if (this.released) return false;
    this.released = true;
    clearTimeout(this.timer);
    this.res.off('close', this.onClose);
    this.ctx.store.unsubscribe(this.client, this);
    this.ctx.stats.channels['long-polling'].open--;
    this.registry.delete(this);
    return true;
  }
}
