/**
 * Chat messages up over HTTP, as web chats built on polling, long polling, SSE or HTTP streaming
 * send them: POST /send?client=ID with the message as JSON, beside the subscription.
 */
import type { Client } from 'undici';
import { preview } from './events.js';
import { createHttpConnection, errorDetail } from './http-connection.js';
import type { ChatMessage, ClientContext, SendReceipt } from './types.js';

/** A send that takes longer has failed: the message would be stale in any chat. */
const SEND_TIMEOUT_MS = 10_000;

export class HttpSender {
  private own: Client | undefined;

  /**
   * `shared`: the transport's own connection, when it is free between requests (short polling)
   * or multiplexed (HTTP/2). Otherwise the sender opens a second keep-alive connection, as a
   * browser does beside a held long poll or stream, so a message never waits behind one.
   */
  constructor(
    private readonly ctx: ClientContext<unknown>,
    private readonly shared?: Client,
  ) {}

  async send(message: ChatMessage): Promise<SendReceipt> {
    const { ctx } = this;
    const connection = this.shared ?? (this.own ??= this.openConnection());
    const body = JSON.stringify({ room: message.room, t: message.intendedNs.toString(), p: message.text });
    let status: number;
    let answer: string;
    try {
      const response = await connection.request({
        // undici holds a request it may not pipeline until the connection is otherwise idle; on a
        // multiplexed HTTP/2 connection that means behind streams that never end. It never retries
        // on its own, so a message still goes once.
        idempotent: true,
        method: 'POST',
        path: `/send?client=${encodeURIComponent(ctx.clientId)}`,
        headers: { 'content-type': 'application/json' },
        body,
      });
      status = response.statusCode;
      answer = await response.body.text();
    } catch (error) {
      const detail = `POST /send: ${errorDetail(error as Error)}`;
      ctx.sink.failure(ctx.clientIndex, 'request', detail);
      throw new Error(detail, { cause: error });
    }
    if (status !== 200) {
      ctx.sink.request(ctx.clientIndex, 'failed');
      throw new Error(`POST /send answered ${status}: ${preview(answer)}`);
    }
    ctx.sink.request(ctx.clientIndex, 'sent');
    const receipt = parseReceipt(answer);
    if (!receipt) {
      ctx.sink.failure(ctx.clientIndex, 'protocol', `POST /send answered 200 without {recipients, publishedAt}: ${preview(answer)}`);
      throw new Error(`POST /send answered 200 without a receipt: ${preview(answer)}`);
    }
    return receipt;
  }

  /** Closes the sender's own connection (a shared one is its owner's to close). */
  async close(): Promise<void> {
    const own = this.own;
    this.own = undefined;
    if (own && !own.destroyed) await own.destroy().catch(() => undefined);
  }

  private openConnection(): Client {
    const { ctx } = this;
    return createHttpConnection({
      baseUrl: ctx.baseUrl,
      ...(ctx.localAddress === undefined ? {} : { localAddress: ctx.localAddress }),
      meter: ctx.meter,
      headersTimeoutMs: SEND_TIMEOUT_MS,
      bodyTimeoutMs: SEND_TIMEOUT_MS,
    });
  }
}

/** `{"recipients": N, "publishedAt": "ns"}` (more fields allowed), or undefined. */
export function parseReceipt(text: string | object): SendReceipt | undefined {
  let value: unknown = text;
  if (typeof text === 'string') {
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const { recipients, publishedAt } = (value ?? {}) as { recipients?: unknown; publishedAt?: unknown };
  if (typeof recipients !== 'number' || !Number.isInteger(recipients) || recipients < 0) return undefined;
  if (typeof publishedAt !== 'string' || !/^\d{1,20}$/.test(publishedAt)) return undefined;
  return { recipients, publishedAtNs: BigInt(publishedAt) };
}
