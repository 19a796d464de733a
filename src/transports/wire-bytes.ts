import { pushFigures, type ExpectedFigures } from '../metrics/model.js';
import type { SharedEvent } from '../server/client-log.js';
import { serialiseEventTail, syntheticPayloadJson } from '../server/wire.js';
import type { Workload } from './module.js';

/**
 * What one event costs on a push transport's socket, for the bytes model: the text the reference
 * server writes for it (server/wire.ts itself, so the model cannot drift from the format) inside
 * the framing of what carries it. One write per event is assumed, which is what a steady feed
 * gets; events fanned out in the same tick may share a chunk, frame or record (a little less).
 */

/** Digits of an intended time: process.hrtime.bigint() in ns on this machine, where the run happens (14 up to 1.2 days of uptime, 15 up to 11.6). */
function intendedDigits(): number {
  return String(process.hrtime.bigint()).length;
}

/** The seq (and id) an event carries halfway through the measured window: a typical event's number of digits. */
function typicalSeq(workload: Workload): number {
  return Math.max(1, Math.round((workload.ratePerClientPerS * (workload.phaseMs - workload.durationMs / 2)) / 1_000));
}

/** A typical event of the workload, as the server's formatters take it. */
interface TypicalEvent {
  seq: number;
  event: SharedEvent;
}

function typicalEvent(workload: Workload): TypicalEvent {
  const seq = typicalSeq(workload);
  return { seq, event: { id: seq, tail: serialiseEventTail(seq, '9'.repeat(intendedDigits()), syntheticPayloadJson(workload.payloadBytes)), storedAtMs: 0 } };
}

/**
 * A push transport's model (metrics/model.ts pushFigures) for the workload; `wire` gives the
 * bytes of one event on its socket, or is null when they are not one event's alone (heartbeats
 * on, compression).
 */
export function pushModel(workload: Workload, wire: ((typical: TypicalEvent) => number) | null): ExpectedFigures | null {
  return pushFigures({
    link: workload.link,
    payloadBytes: workload.payloadBytes,
    ratePerS: workload.ratePerClientPerS,
    arrival: workload.arrival,
    ...(wire ? { wireBytesPerEvent: wire(typicalEvent(workload)) } : {}),
  });
}

/** HTTP/1.1 chunked encoding: each write is a chunk, its size in hex and two CRLFs around it. */
export function chunkedBytes(text: number): number {
  return text + text.toString(16).length + 4;
}

/** An HTTP/2 frame's header: length, type, flags, stream id. */
const H2_FRAME_HEADER = 9;
/**
 * A TLS 1.3 record around its content with an AEAD cipher (AES-GCM, ChaCha20-Poly1305): a 5-byte
 * header, the 1-byte inner content type and a 16-byte tag.
 */
const TLS13_RECORD_OVERHEAD = 5 + 1 + 16;

/** Most plaintext one TLS record carries. */
const TLS_MAX_RECORD = 16_384;

/**
 * One HTTP/2 DATA frame, in a TLS 1.3 record it shares with the frames of the other streams of
 * its connection that the same event reaches: the server fans an event out in one go, and HTTP/2
 * sends what its streams have queued in one write, so a broadcast to `streamsPerConnection`
 * streams pays one record for them all (as many as fit in a record). `streamsReached` is how
 * many of a connection's streams an event reaches on average; fewer than one count as one.
 */
export function h2OverTlsBytes(text: number, streamsReached = 1): number {
  const frame = text + H2_FRAME_HEADER;
  const perRecord = Math.max(1, Math.min(streamsReached, Math.floor(TLS_MAX_RECORD / frame)));
  return frame + TLS13_RECORD_OVERHEAD / perRecord;
}

/** A WebSocket frame from the server (unmasked): 2 header bytes, plus 2 or 8 for the extended length. */
export function websocketFrameBytes(text: number): number {
  return text + (text < 126 ? 2 : text < 65_536 ? 4 : 10);
}
