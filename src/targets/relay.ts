/**
 * What a server without per-client sequences is given (nchan, a broker): a fresh namespace each
 * phase, and events it relays untouched.
 */
import { randomBytes } from 'node:crypto';
import type { PublishAnswer, PublishSpec } from './control.js';

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

/**
 * The runner's side of a server that relays (nchan, a broker), where they answer alike: a
 * namespace per phase, publishes one batch at a time in schedule order (a channel or queue keeps
 * its messages in the order they came), no figures of push-bench's kind, no chat rooms.
 */
export abstract class RelayControl {
  protected namespace = newNamespace();
  private queue: Promise<unknown> = Promise.resolve();

  /** `what`, e.g. "nchan", for the refusals. */
  constructor(private readonly what: string) {}

  publish(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    const sent = this.queue.then(() => this.publishInOrder(specs));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  rooms(): Promise<void> {
    // The run refuses a chat against such a server first (a scenario rule, TargetAdapter.chat); this is only the last word.
    return Promise.reject(new Error(`${this.what} has no chat rooms: its clients only receive`));
  }

  resetStats(): Promise<void> {
    return Promise.resolve();
  }

  stats(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  protected abstract publishInOrder(specs: readonly PublishSpec[]): Promise<PublishAnswer[]>;
}
