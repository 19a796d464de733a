import { sinkBatch } from './events.js';
import type { ClientContext } from './types.js';
import type { PullAnswer, PullRequest, PullWire } from './wire.js';

/**
 * Polling and long polling as the wire contract spells them: GET /poll or /long-poll with
 * client=ID&after=CURSOR, a JSON batch `{events, next, gap?, more?}` back; a long poll whose
 * hold ran out is a 204.
 */
export class ContractPullWire implements PullWire {
  private cursor = 0;
  private readonly prefix: string;

  /** `suffix`: more query after the cursor (long polling's `&timeout=`). */
  constructor(
    private readonly ctx: ClientContext<unknown>,
    private readonly endpoint: '/poll' | '/long-poll',
    private readonly suffix = '',
  ) {
    this.prefix = `${endpoint}?client=${encodeURIComponent(ctx.clientId)}&after=`;
  }

  next(): PullRequest {
    return { path: this.prefix + this.cursor + this.suffix };
  }

  answer(status: number, _headers: unknown, body: string, receivedNs: bigint): PullAnswer | null {
    if (status === 204 && this.endpoint === '/long-poll') return { delivered: 0, more: false };
    if (status !== 200) return null;
    const batch = sinkBatch(this.ctx.sink, this.ctx.clientIndex, body, receivedNs);
    if (batch.next >= 0) this.cursor = batch.next;
    return { delivered: batch.delivered, more: batch.more && batch.next >= 0 };
  }
}
