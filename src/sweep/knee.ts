/**
 * The knee: the largest value of one parameter at which a condition still holds (e.g. the most
 * clients with latency p99 under 1 s), found by real runs: doubling from the start until the
 * condition breaks or the machine's limits stop it, then bisection between the last value that
 * held and the first that broke, to a relative precision. The search is pure: each probe (a
 * run) is the caller's, so it is tested on synthetic conditions.
 */

export type ProbeOutcome =
  /** The run met the condition, or not; `figure` is the value it was judged on. */
  | { kind: 'held' | 'broke'; figure: number | null }
  /** The machine cannot run this value (the preflight refuses it): the search stops below it. */
  | { kind: 'limit'; reason: string };

interface KneeStep {
  value: number;
  outcome: ProbeOutcome;
}

export interface Knee {
  /** The largest value that held; null when even the smallest tried broke. */
  held: number | null;
  /** The smallest value that broke (or the machine refused) above it; null when none did within the search. */
  broke: number | null;
  /** Why the search stopped: the condition broke, the machine's limit, or the most steps. */
  stoppedBy: 'condition' | 'machine' | 'steps';
  steps: KneeStep[];
}

export interface KneeSearch {
  start: number;
  /** Whole numbers only (a client count): bisection stops when no whole number is left between; otherwise values keep 3 significant digits. */
  integer: boolean;
  /** Bisection stops when broke / held is at most this (1.1: within 10 %). */
  precision: number;
  /** Probes at most (every probe is a whole run). */
  maxSteps: number;
  /** The smallest value worth trying when the start already breaks. */
  minimum: number;
}

export async function findKnee(search: KneeSearch, probe: (value: number) => Promise<ProbeOutcome>): Promise<Knee> {
  const steps: KneeStep[] = [];
  const run = async (value: number): Promise<ProbeOutcome> => {
    const outcome = await probe(value);
    steps.push({ value, outcome });
    return outcome;
  };
  const round = (value: number) => (search.integer ? Math.round(value) : Number(value.toPrecision(3)));
  let held: number | null = null;
  let broke: number | null = null;

  // Down from the start while it breaks, up by doubling while it holds: a bracket [held, broke).
  let value = round(search.start);
  let first = await run(value);
  if (first.kind === 'held') {
    held = value;
    while (steps.length < search.maxSteps) {
      value = round(value * 2);
      const outcome = await run(value);
      if (outcome.kind === 'held') {
        held = value;
        continue;
      }
      broke = value;
      break;
    }
    if (broke === null) return { held, broke, stoppedBy: 'steps', steps };
  } else {
    broke = value;
    while (held === null && steps.length < search.maxSteps) {
      value = round(value / 2);
      if (value < search.minimum || value === broke) return { held: null, broke, stoppedBy: reasonAt(steps, broke), steps };
      first = await run(value);
      if (first.kind === 'held') held = value;
      else broke = value;
    }
    if (held === null) return { held, broke, stoppedBy: 'steps', steps };
  }

  // Bisection inside [held, broke): geometric middle, as the doubling was.
  while (steps.length < search.maxSteps && broke / held > search.precision) {
    const middle = round(Math.sqrt(held * broke));
    if (middle <= held || middle >= broke) break;
    const outcome = await run(middle);
    if (outcome.kind === 'held') held = middle;
    else broke = middle;
  }
  const exhausted = steps.length >= search.maxSteps && broke / held > search.precision && (!search.integer || broke - held > 1);
  return { held, broke, stoppedBy: exhausted ? 'steps' : reasonAt(steps, broke), steps };
}

/** What stopped the search at `value`: the machine refused it, or the condition broke there. */
function reasonAt(steps: readonly KneeStep[], value: number): Knee['stoppedBy'] {
  return steps.find((step) => step.value === value)?.outcome.kind === 'limit' ? 'machine' : 'condition';
}
