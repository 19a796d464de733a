/**
 * Runs the conformance rules against a server, one at a time (a rule's requests do not mix
 * with another's, and the server is loaded by one client at a time), each within its own time
 * bound, and reports each as it ends.
 */
import type { TransportName } from '../transports/catalog.js';
import { CheckSession, RuleContext, describeError, type Exchange } from './context.js';
import { Broken, type Rule, type Verdict } from './rule.js';
import { RULES } from './catalog.js';

/** A rule that has not ended in this long fails: no server holds the check. */
const RULE_TIMEOUT_MS = 15_000;
/**
 * One wait for an answer. Generous: a conformance check judges what a server answers, not how
 * fast, and a busy machine (or a server in a CI job beside others) must not read as a broken one.
 */
const WAIT_MS = 5_000;

export interface RuleResult {
  id: string;
  transport: TransportName | null;
  endpoint: string;
  statement: string;
  verdict: Verdict;
  /** Why it failed or was skipped; empty for a pass. */
  detail: string;
  /** The exchange that decided it (the last one): what was sent, what came back. */
  sent: string;
  got: string;
  ms: number;
}

export interface CheckOptions {
  /** Base URL, no trailing slash. */
  url: string;
  /** Transports whose rules run; the control rules always do. */
  transports: readonly TransportName[];
  token?: string | undefined;
  onResult?: (result: RuleResult) => void;
  /** The catalog by default; tests may pass a subset. */
  rules?: readonly Rule[];
}

export interface CheckSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export async function runCheck(options: CheckOptions): Promise<RuleResult[]> {
  const session = new CheckSession(options.url, options.token);
  const rules = (options.rules ?? RULES).filter((rule) => rule.transport === null || options.transports.includes(rule.transport));
  const results: RuleResult[] = [];
  try {
    for (const rule of rules) {
      const result = await runRule(session, rule);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await session.close();
  }
  return results;
}

export function summarise(results: readonly RuleResult[]): CheckSummary {
  const count = (verdict: Verdict) => results.filter((result) => result.verdict === verdict).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') };
}

async function runRule(session: CheckSession, rule: Rule): Promise<RuleResult> {
  const controller = new AbortController();
  const timeoutMs = rule.timeoutMs ?? RULE_TIMEOUT_MS;
  const ctx = new RuleContext(session, controller.signal, WAIT_MS);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // The race ends the rule even if some wait inside it ignored the abort.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Broken(`no answer within ${timeoutMs} ms: the rule did not end`));
    }, timeoutMs);
  });
  let verdict: Verdict;
  let detail: string;
  try {
    ({ verdict, detail } = await Promise.race([rule.run(ctx), timedOut]));
  } catch (error) {
    verdict = 'fail';
    detail = error instanceof Broken ? error.message : `the check itself failed: ${describeError(error)}`;
  } finally {
    clearTimeout(timer);
    controller.abort();
    ctx.end();
  }
  const last: Exchange = ctx.exchanges.at(-1) ?? { sent: '', got: '' };
  return {
    id: rule.id,
    transport: rule.transport,
    endpoint: rule.endpoint,
    statement: rule.statement,
    verdict,
    detail,
    sent: last.sent,
    got: last.got,
    ms: Math.round(performance.now() - started),
  };
}
