/**
 * The cheapest choice at one point of a sweep: among the transports (and settings) that meet
 * the latency budget, the one with the lowest cost, unless another's cost overlaps it within
 * the noise of the repeats, in which case there is no clear winner and the answer says so. A
 * recommendation the measurements do not support is worse than none. Pure.
 */
import type { Estimate } from './crossover.js';

export interface Candidate {
  /** The transport run, e.g. "sse" or "polling/5s". */
  name: string;
  /** The cost to minimise (e.g. bytes per delivery); null when not measured. */
  cost: Estimate | null;
  /** Whether it met the budget (e.g. latency p99 < 2 s) in every repeat. */
  withinBudget: boolean;
}

export type Recommendation =
  /** `margin`: how much more the next cheapest costs, a fraction of the winner's cost (null when it is the only one in budget). */
  | { kind: 'winner'; name: string; margin: number | null; runnerUp: string | null }
  /** Two or more whose costs overlap within noise: no clear winner among `names` (cheapest median first). */
  | { kind: 'tie'; names: string[] }
  /** Nothing met the budget (or nothing was measured). */
  | { kind: 'none'; reason: string };

export function recommend(candidates: readonly Candidate[]): Recommendation {
  const inBudget = candidates.filter((c): c is Candidate & { cost: Estimate } => c.withinBudget && c.cost !== null);
  if (inBudget.length === 0) {
    const reason = candidates.some((c) => c.withinBudget) ? 'no transport within the budget has the cost measured' : 'no transport met the budget';
    return { kind: 'none', reason };
  }
  const ranked = [...inBudget].sort((x, y) => x.cost.value - y.cost.value);
  const best = ranked[0]!;
  // Overlapping the best's spread: as likely as the best to be cheapest, given the repeats.
  const contenders = ranked.filter((c) => c.cost.low <= best.cost.high);
  if (contenders.length > 1) return { kind: 'tie', names: contenders.map((c) => c.name) };
  const runnerUp = ranked[1];
  if (runnerUp === undefined) return { kind: 'winner', name: best.name, margin: null, runnerUp: null };
  const margin = best.cost.value === 0 ? Infinity : (runnerUp.cost.value - best.cost.value) / best.cost.value;
  return { kind: 'winner', name: best.name, margin, runnerUp: runnerUp.name };
}
