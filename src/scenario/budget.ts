/**
 * `--budget "latency.p99 < 2s"` and `--minimise bytes.perDelivery`: what a recommendation must
 * meet and what it minimises, in the figure names thresholds use (so the same words work in
 * both places, with the same units and the same messages).
 */
import type { MeasuredFigure } from '../figures/catalog.js';
import { TRANSPORT_NAMES } from '../transports/catalog.js';
import { THRESHOLD_FIGURES } from './threshold-figures.js';
import { parseThreshold, type Threshold } from './thresholds.js';

/** What a sweep's recommendation must meet at each point, and what it minimises. */
export interface Budget {
  /** The latency (or any) budget each repeat must meet, e.g. latency.p99 < 2s; its transport is a stand-in, never read. */
  limit: Threshold;
  /** The cost to minimise, e.g. bytes.perDelivery. */
  minimise: MeasuredFigure;
}

export type BudgetParse = { ok: true; budget: Budget } | { ok: false; message: string };

/**
 * A condition every transport must meet, e.g. "latency.p99 < 2s" (a threshold without its
 * transport): parsed as one of the first transport's, whose name is then dropped. `flag` names
 * the option in messages (--budget, --until).
 */
export function parseCondition(text: string, flag: string): { ok: true; condition: Threshold } | { ok: false; message: string } {
  const someTransport = TRANSPORT_NAMES[0]!;
  const parsed = parseThreshold(`${someTransport}.${text.trim()}`);
  if (parsed.ok) return { ok: true, condition: parsed.threshold };
  const message = parsed.message.replaceAll(`${someTransport}.`, '').replace(/write e\.g\. .*$/, `write e.g. ${flag} "latency.p99 < 2s"`);
  return { ok: false, message: `${flag} ${message}` };
}

export function parseBudget(limitText: string, minimiseText: string): BudgetParse {
  const parsed = parseCondition(limitText, '--budget');
  if (!parsed.ok) return parsed;
  const minimise = THRESHOLD_FIGURES.get(minimiseText.trim());
  if (!minimise) {
    return { ok: false, message: `--minimise "${minimiseText}" is not a figure; use one of ${[...THRESHOLD_FIGURES.keys()].join(', ')}` };
  }
  return { ok: true, budget: { limit: parsed.condition, minimise } };
}
