/**
 * What a conformance rule is and what it answers. A rule is one promise of the wire contract
 * (docs/protocol.md) that a client can test from outside: it sends requests, reads what comes
 * back and says pass, fail or skip, with the exchange that decided it.
 */
import type { TransportName } from '../transports/catalog.js';
import type { RuleContext } from './context.js';

export type Verdict = 'pass' | 'fail' | 'skip';

export interface Outcome {
  verdict: Verdict;
  /** Why it failed or was skipped, in one line (empty for a pass). */
  detail: string;
}

export interface Rule {
  /** `<group>.<promise>`, e.g. `sse.resume-last-event-id`: what a failure names. */
  id: string;
  /** The transport the rule concerns (`--transports` selects by it), or null for the control endpoints. */
  transport: TransportName | null;
  /** The endpoint it exercises, e.g. `GET /sse`. */
  endpoint: string;
  /** The contract, in one line. */
  statement: string;
  /** A bound above the default for rules that wait on purpose (heartbeats, long-poll timeouts, retention). */
  timeoutMs?: number;
  run(ctx: RuleContext): Promise<Outcome>;
}

export const pass = (): Outcome => ({ verdict: 'pass', detail: '' });
export const fail = (detail: string): Outcome => ({ verdict: 'fail', detail });
export const skip = (detail: string): Outcome => ({ verdict: 'skip', detail });

/** A failed expectation inside a rule's helpers: the rule fails with this message. */
export class Broken extends Error {
  override readonly name = 'Broken';
}
