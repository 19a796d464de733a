/**
 * How a client's requests and the server's answers are spelled. The transport clients own the
 * behaviour (schedules, reconnects, offline spells, slow reading); a wire owns the words: which
 * path and headers carry the cursor, and how what arrives becomes events for the sink. Each
 * client speaks the wire contract (docs/protocol.md) by default; a target adapter
 * (src/targets/) gives a `Dialect` for a server that speaks otherwise (nchan). A wire is made
 * per client and keeps that client's cursor.
 */
import type { EventSourceMessage } from 'eventsource-parser';
import type { ClientContext } from './types.js';

/** One GET of a polling or long-polling client. */
export interface PullRequest {
  /** Path and query. */
  path: string;
  headers?: Record<string, string>;
}

/** What an answer brought: its events were handed to the sink already. */
export interface PullAnswer {
  /** Events in the answer. Count. */
  delivered: number;
  /** The server holds more than this answer carried: ask again at once. */
  more: boolean;
}

/** Polling and long polling: a request from the cursor, an answer that moves it. */
export interface PullWire {
  next(): PullRequest;
  /**
   * A whole answer: its events go to the sink and the cursor moves; null when the status is not
   * an answer of this wire (the client counts a failed request and retries as the status says).
   * `headers` as undici gives them (lower-case names).
   */
  answer(status: number, headers: Readonly<Record<string, unknown>>, body: string, receivedNs: bigint): PullAnswer | null;
}

/** Server-Sent Events: one path; the cursor travels in headers (Last-Event-ID) on each connect. */
export interface StreamWire {
  readonly path: string;
  headers(): Record<string, string>;
  /** One parsed SSE message; receivedNs = when its chunk arrived. */
  message(message: EventSourceMessage, receivedNs: bigint): void;
}

/** HTTP streaming: the path of each connect (the cursor in its query) and the meaning of each line. */
export interface LineWire {
  path(): string;
  /** One non-empty line of the body, without its newline; receivedNs = when its chunk arrived. */
  line(text: string, receivedNs: bigint): void;
}

/** WebSocket: the URL of the next connect (with the cursor) and the meaning of each text message. */
export interface SocketWire {
  url(): string;
  /** Sub-protocols to offer (the Sec-WebSocket-Protocol header); none when empty. */
  readonly protocols: readonly string[];
  /** One message; true when it carried an event (handed to the sink). */
  message(text: string, receivedNs: bigint): boolean;
}

/** A server's way of speaking, for each kind of transport it serves; absent: that kind is not served. */
export interface Dialect {
  /** `hold`: long polling (the server holds the request), else short polling. */
  pull?(ctx: ClientContext<unknown>, hold: boolean): PullWire;
  stream?(ctx: ClientContext<unknown>): StreamWire;
  lines?(ctx: ClientContext<unknown>): LineWire;
  socket?(ctx: ClientContext<unknown>): SocketWire;
}
