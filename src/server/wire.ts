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
}

/** `{"events":[...],"next":N}` (with `"gap"` first when retention passed the cursor by). */
export function pollAnswer(log: ClientLog, cursor: number): PollAnswer {
  const gap = log.gapAfter(cursor);
  let next = gap ? gap.to : cursor;
  let body = gap ? '{"gap":' + gapJson(gap.from, gap.to) + ',"events":[' : '{"events":[';
  const last = log.lastSeq;
  const count = last - next;
  if (next < last) {
    next++;
    body += eventJson(next, log.at(next));
    while (next < last) {
      next++;
      body += ',' + eventJson(next, log.at(next));
    }
  }
  body += '],"next":' + next + '}';
  return { body, events: count, gap };
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
