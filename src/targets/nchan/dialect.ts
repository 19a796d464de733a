/**
 * How push-bench's clients speak to nchan. Every client subscribes to its own channel and the
 * broadcast channel at once (layout.ts); what arrives is the publisher's event `{id, t, p}`,
 * whose schedule ordinal becomes the client's seq (events.ts, sinkScheduledEvent). The cursor is
 * nchan's own message id, resumed the way nchan's clients do:
 * - short polling: `intervalpoll`, one message per answer with Last-Modified and Etag, sent
 *   back as If-Modified-Since and If-None-Match; 304 when nothing is new. A 200 may leave more
 *   behind it, so the client asks again at once until a 304;
 * - long polling: the same on a longpoll location, held until a message; nchan ends a hold
 *   with 408 after its nchan_subscriber_timeout (an empty answer, not a failure);
 * - SSE: `id:` is the message id, sent back as Last-Event-ID;
 * - WebSocket: the `ws+meta.nchan` sub-protocol puts `id: …` before each message; a reconnect
 *   sends it back as `last_event_id`.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import { parseJson, preview, sinkScheduledEvent, type SeqOf } from '../../transports/events.js';
import type { ClientContext } from '../../transports/types.js';
import type { Dialect, PullAnswer, PullRequest, PullWire, SocketWire, StreamWire } from '../../transports/wire.js';
import { subscriberQuery } from './layout.js';

export interface NchanDialectOptions {
  subscribe: string;
  longPoll: string;
  poll: string;
  namespace: string;
}

/** nchan's meta sub-protocol for WebSocket: each message starts with its id. */
const META_PROTOCOL = 'ws+meta.nchan';

export function nchanDialect(options: NchanDialectOptions, seqOf: SeqOf): Dialect {
  return {
    pull: (ctx, hold) => new NchanPullWire(ctx, `${hold ? options.longPoll : options.poll}?${subscriberQuery(options.namespace, ctx.clientId)}`, hold, seqOf),
    stream: (ctx) => new NchanStreamWire(ctx, `${options.subscribe}?${subscriberQuery(options.namespace, ctx.clientId)}`, seqOf),
    socket: (ctx) =>
      new NchanSocketWire(ctx, `${ctx.baseUrl.replace(/^http/, 'ws')}${options.subscribe}?${subscriberQuery(options.namespace, ctx.clientId)}`, seqOf),
  };
}

class NchanPullWire implements PullWire {
  private lastModified: string | undefined;
  private etag: string | undefined;

  constructor(
    private readonly ctx: ClientContext<unknown>,
    private readonly path: string,
    private readonly hold: boolean,
    private readonly seqOf: SeqOf,
  ) {}

  next(): PullRequest {
    if (this.lastModified === undefined || this.etag === undefined) return { path: this.path };
    return { path: this.path, headers: { 'if-modified-since': this.lastModified, 'if-none-match': this.etag } };
  }

  answer(status: number, headers: Readonly<Record<string, unknown>>, body: string, receivedNs: bigint): PullAnswer | null {
    if (status === 304 || (this.hold && status === 408)) return { delivered: 0, more: false };
    if (status !== 200) return null;
    const lastModified = headers['last-modified'];
    const etag = headers.etag;
    if (typeof lastModified === 'string' && typeof etag === 'string') {
      this.lastModified = lastModified;
      this.etag = etag;
    } else {
      this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', 'nchan answered 200 without Last-Modified and Etag: the client cannot move on from this message');
    }
    const seq = sinkScheduledEvent(this.ctx.sink, this.ctx.clientIndex, parseJson(body), receivedNs, this.seqOf);
    // One message per answer: more may wait behind it. A long poll asks again at once anyway.
    return { delivered: seq > 0 ? 1 : 0, more: !this.hold };
  }
}

class NchanStreamWire implements StreamWire {
  private lastEventId: string | undefined;

  constructor(
    private readonly ctx: ClientContext<unknown>,
    readonly path: string,
    private readonly seqOf: SeqOf,
  ) {}

  headers(): Record<string, string> {
    return this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId };
  }

  message(message: EventSourceMessage, receivedNs: bigint): void {
    if (message.event !== undefined && message.event !== 'message') {
      this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', `unknown SSE event type "${preview(message.event)}"`);
      return;
    }
    if (message.id !== undefined) this.lastEventId = message.id;
    sinkScheduledEvent(this.ctx.sink, this.ctx.clientIndex, parseJson(message.data), receivedNs, this.seqOf);
  }
}

class NchanSocketWire implements SocketWire {
  readonly protocols = [META_PROTOCOL];
  private lastEventId: string | undefined;

  constructor(
    private readonly ctx: ClientContext<unknown>,
    private readonly baseUrl: string,
    private readonly seqOf: SeqOf,
  ) {}

  url(): string {
    return this.lastEventId === undefined ? this.baseUrl : `${this.baseUrl}&last_event_id=${encodeURIComponent(this.lastEventId)}`;
  }

  message(text: string, receivedNs: bigint): boolean {
    // "id: <message id>\ncontent-type: <type>\n\n<message>"
    const end = text.indexOf('\n\n');
    if (end < 0) {
      this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', `nchan WebSocket message without its ${META_PROTOCOL} header: ${preview(text)}`);
      return false;
    }
    // The id line, found in place: no split of the header per message on this hot path.
    const id = text.startsWith('id: ') ? 0 : text.lastIndexOf('\nid: ', end) + 1;
    if (id > 0 || text.startsWith('id: ')) {
      const lineEnd = text.indexOf('\n', id);
      this.lastEventId = text.slice(id + 4, lineEnd);
    }
    return sinkScheduledEvent(this.ctx.sink, this.ctx.clientIndex, parseJson(text.slice(end + 2)), receivedNs, this.seqOf) > 0;
  }
}
