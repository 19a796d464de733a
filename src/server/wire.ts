import type { ClientLog, SharedEvent } from './client-log.js';

/**
 * The byte formats of events on each transport, in one place so that docs/protocol.md has one
 * source to match. Hot paths build strings by concatenation: the event's shared part (`tail`)
 * is serialised once per event, each recipient only adds its `{"seq":N,` prefix.
 */

/** `"id":1,"t":"123","p":"..."}` — everything after the per-client prefix. */
export function serialiseEventTail(id: number, intendedNs: string, payloadJson: string): string {
  return '"id":' + id + ',"t":"' + intendedNs + '","p":' + payloadJson + '}';
}

export function eventJson(seq: number, event: SharedEvent): string {
  return '{"seq":' + seq + ',' + event.tail;
}

export function gapJson(from: number, to: number): string {
  return '{"from":' + from + ',"to":' + to + '}';
}

export function sseEvent(seq: number, event: SharedEvent): string {
  return 'id: ' + seq + '\ndata: {"seq":' + seq + ',' + event.tail + '\n\n';
}

/** The gap carries `id: <to>` so that a reconnect's Last-Event-ID does not report it twice. */
export function sseGap(from: number, to: number): string {
  return 'id: ' + to + '\nevent: gap\ndata: ' + gapJson(from, to) + '\n\n';
}

export function sseRetry(ms: number): string {
  return 'retry: ' + ms + '\n\n';
}

export const SSE_HEARTBEAT = ': hb\n\n';

export function wsGap(from: number, to: number): string {
  return '{"gap":' + gapJson(from, to) + '}';
}

export interface PollAnswer {
  body: string;
  events: number;
  gap: { from: number; to: number } | undefined;
  /** Events after `next` were left for the next request (the answer reached its bound). */
  more: boolean;
}

/** How much one poll answer may carry. */
export interface AnswerBounds {
  /** Events at most. */
  maxEvents: number;
  /** Length of the body at most, in UTF-16 code units (bytes, for ASCII payloads); one event always fits. */
  maxLength: number;
}

/**
 * `{"events":[...],"next":N}` (with `"gap"` first when retention passed the cursor by), and
 * `"more":true` when the bounds cut it short: the client asks again from `next`. Without a bound
 * a client far behind on large events would get a body past V8's string limit (a 500).
 */
export function pollAnswer(log: ClientLog, cursor: number, bounds: AnswerBounds): PollAnswer {
  const gap = log.gapAfter(cursor);
  let next = gap ? gap.to : cursor;
  let body = gap ? '{"gap":' + gapJson(gap.from, gap.to) + ',"events":[' : '{"events":[';
  const last = log.lastSeq;
  let count = 0;
  while (next < last && count < bounds.maxEvents) {
    const event = eventJson(next + 1, log.at(next + 1));
    if (count > 0 && body.length + event.length + 1 > bounds.maxLength) break;
    body += count > 0 ? ',' + event : event;
    next++;
    count++;
  }
  const more = next < last;
  body += '],"next":' + next + (more ? ',"more":true}' : '}');
  return { body, events: count, gap, more };
}

/**
 * JSON string literal of a payload of `bytes` ASCII bytes. Publishers reuse a handful of
 * sizes, so a few are cached; the cache is capped so odd sizes cannot grow it.
 */
const syntheticPayloads = new Map<number, string>();
export function syntheticPayloadJson(bytes: number): string {
  let json = syntheticPayloads.get(bytes);
  if (json === undefined) {
    json = '"' + 'x'.repeat(bytes) + '"';
    if (syntheticPayloads.size >= 16) syntheticPayloads.clear();
    syntheticPayloads.set(bytes, json);
  }
  return json;
}

/** Newline-delimited JSON (GET /stream): an event is its JSON and a newline. */
export function ndjsonEvent(seq: number, event: SharedEvent): string {
  return '{"seq":' + seq + ',' + event.tail + '\n';
}

export function ndjsonGap(from: number, to: number): string {
  return '{"gap":' + gapJson(from, to) + '}\n';
}

/** An empty line: no JSON, so a reader that skips blank lines never mistakes it for an event. */
export const NDJSON_HEARTBEAT = '\n';
