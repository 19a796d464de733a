import type { ClientSink } from './types.js';

/**
 * Decoding of what the server sends, shared by every transport. Each message is parsed with
 * JSON.parse once by the caller; these functions only check shapes and hand the figures on.
 */

/** Hands one event object to the sink; returns its seq, or -1 (after reporting) when malformed. */
export function sinkEvent(sink: ClientSink, clientIndex: number, value: unknown, receivedNs: bigint): number {
  const event = value as { seq?: unknown; t?: unknown; p?: unknown } | null;
  if (event === null || typeof event !== 'object' || !Number.isInteger(event.seq) || typeof event.t !== 'string' || typeof event.p !== 'string') {
    sink.failure(clientIndex, 'protocol', `malformed event: ${preview(value)}`);
    return -1;
  }
  const intendedNs = parseNs(event.t);
  if (intendedNs < 0n) {
    sink.failure(clientIndex, 'protocol', `event "t" is not a nanosecond count: ${preview(event.t)}`);
    return -1;
  }
  const seq = event.seq as number;
  sink.event(clientIndex, seq, intendedNs, Buffer.byteLength(event.p), receivedNs);
  return seq;
}

/**
 * The reference server's event as it spells it, `{"seq":N,"id":N,"t":"NS","p":"…"}`, with a
 * payload of printable ASCII and no escapes: seq, id and t captured. Any other text (a gap,
 * another server's key order or spacing, a number with a leading zero, an escape or a non-ASCII
 * character in the payload) does not match.
 */
// Control characters are exactly what a JSON string must escape, so the class names them.
// eslint-disable-next-line no-control-regex
const EVENT_TEXT = /^\{"seq":(0|[1-9]\d{0,14}),"id":(0|[1-9]\d{0,14}),"t":"(0|[1-9]\d{0,19})","p":"[^\x00-\x1f"\\\u0080-\uffff]*"\}$/;
/** Characters of the event text around its payload, besides the three numbers. */
const EVENT_FRAME_CHARS = '{"seq":,"id":,"t":"","p":""}'.length;

/**
 * Reads an event in the reference server's own spelling with one regular expression instead of
 * JSON.parse and hands it to the sink; null for any other text, which the caller then parses in
 * full. At saturation, JSON.parse of every message and the checks after it were a fifth of a
 * client process's CPU in a profile: time the generator spends on itself, not on the transport.
 * Only texts that JSON.parse reads to the very same seq, t and payload match (a payload without
 * escapes is its own text, one byte per character).
 */
export function sinkEventText(sink: ClientSink, clientIndex: number, text: string, receivedNs: bigint): number | null {
  const match = EVENT_TEXT.exec(text);
  if (match === null) return null;
  const [, seqText, idText, tText] = match as unknown as [string, string, string, string];
  const seq = Number(seqText);
  const payloadBytes = text.length - EVENT_FRAME_CHARS - seqText.length - idText.length - tText.length;
  sink.event(clientIndex, seq, BigInt(tText), payloadBytes, receivedNs);
  return seq;
}

/** Hands a gap marker {from, to} to the sink; returns its `to` (the new cursor), or -1 when malformed. */
export function sinkGap(sink: ClientSink, clientIndex: number, value: unknown): number {
  const gap = value as { from?: unknown; to?: unknown } | null;
  if (gap === null || typeof gap !== 'object' || !Number.isInteger(gap.from) || !Number.isInteger(gap.to)) {
    sink.failure(clientIndex, 'protocol', `malformed gap: ${preview(value)}`);
    return -1;
  }
  sink.gap(clientIndex, gap.from as number, gap.to as number);
  return gap.to as number;
}

/**
 * A poll or long-poll answer `{events, next, gap?}`: the gap first (it precedes the retained
 * events), then each event. Returns the `next` cursor, or -1 when the body is malformed.
 */
export function sinkBatch(sink: ClientSink, clientIndex: number, body: string, receivedNs: bigint): BatchResult {
  const parsed = parseJson(body) as { events?: unknown; next?: unknown; gap?: unknown; more?: unknown } | undefined;
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.events) || !Number.isInteger(parsed.next)) {
    sink.failure(clientIndex, 'protocol', `malformed poll answer: ${preview(body)}`);
    return { next: -1, delivered: 0, more: false };
  }
  if (parsed.gap !== undefined) sinkGap(sink, clientIndex, parsed.gap);
  const events = parsed.events as unknown[];
  for (let i = 0; i < events.length; i++) sinkEvent(sink, clientIndex, events[i], receivedNs);
  return { next: parsed.next as number, delivered: events.length, more: parsed.more === true };
}

export interface BatchResult {
  /** cursor to send next time; -1 = malformed answer */
  next: number;
  /** events in the answer */
  delivered: number;
  /** the server had more than one answer may carry: ask again from `next` at once */
  more: boolean;
}

/** JSON.parse that reports failure as undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const DECIMAL_NS = /^\d{1,20}$/;

function parseNs(text: string): bigint {
  return DECIMAL_NS.test(text) ? BigInt(text) : -1n;
}

/** A short, safe rendering of a bad value for a failure message. */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : safeStringify(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * An event that carries the publisher's schedule ordinal `{id, t, p}` instead of a per-client
 * seq: what a target adapter's server relays untouched (it has no per-client sequence of its
 * own). `seqOf` turns the ordinal into the client's seq from the seeded schedule, so loss,
 * duplicates and order are counted exactly as for the wire contract. Returns the seq, or -1
 * (after reporting) when malformed or not addressed to this client.
 */
export function sinkScheduledEvent(sink: ClientSink, clientIndex: number, value: unknown, receivedNs: bigint, seqOf: SeqOf): number {
  const event = value as { id?: unknown; t?: unknown; p?: unknown } | null;
  if (event === null || typeof event !== 'object' || !Number.isInteger(event.id) || typeof event.t !== 'string' || typeof event.p !== 'string') {
    sink.failure(clientIndex, 'protocol', `malformed event: ${preview(value)}`);
    return -1;
  }
  const intendedNs = parseNs(event.t);
  const seq = seqOf(clientIndex, event.id as number);
  if (intendedNs < 0n || seq < 1) {
    sink.failure(
      clientIndex,
      'protocol',
      intendedNs < 0n ? `event "t" is not a nanosecond count: ${preview(event.t)}` : `event ${event.id as number} was not sent to this client`,
    );
    return -1;
  }
  sink.event(clientIndex, seq, intendedNs, Buffer.byteLength(event.p), receivedNs);
  return seq;
}

/** A client's seq of the schedule's event `eventIndex` (its clientIndex as the sink knows it); -1 when it was not addressed to the client. */
export type SeqOf = (clientIndex: number, eventIndex: number) => number;
