/**
 * What a server without per-client sequences is given (nchan, a broker): a fresh namespace each
 * phase, and events it relays untouched.
 */
import { randomBytes } from 'node:crypto';
import type { PublishSpec } from './control.js';

const payloads = new Map<number, string>();

/**
 * The message a server without per-client sequences relays untouched (nchan, a broker): the
 * event's schedule ordinal, its intended time and its payload, `{"id":…,"t":"…","p":"…"}`.
 */
export function eventText(spec: PublishSpec): string {
  let payload = payloads.get(spec.payloadBytes);
  if (payload === undefined) {
    payload = 'x'.repeat(spec.payloadBytes);
    payloads.set(spec.payloadBytes, payload);
  }
  return `{"id":${spec.index},"t":"${spec.intended}","p":"${payload}"}`;
}

/** The same message as bytes, for a broker. */
export const eventBody = (spec: PublishSpec): Buffer => Buffer.from(eventText(spec));

/** A name no earlier phase used, e.g. pb3f9a0c12de. */
export function newNamespace(): string {
  return `pb${randomBytes(5).toString('hex')}`;
}
