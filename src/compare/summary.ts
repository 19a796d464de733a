/** The sentences around a comparison's tables: headline, method, one-sided transports. */
import { formatPercent } from '../report/format.js';
import { oneLine, scenarioName } from '../report/header.js';
import { withVerdict, type Comparison } from './compare.js';
import { repeatCount } from './setup.js';
import { LATENCY_FLOOR_MS } from './figures.js';
import { ALPHA } from './verdict.js';

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** "2 regressions, 1 improvement", or "No regressions or improvements"; "; 3 need --repeat to judge" when single runs left figures unjudged. */
export function headline(comparison: Comparison): string {
  const worse = withVerdict(comparison, 'worse').length;
  const better = withVerdict(comparison, 'better').length;
  const workload = withVerdict(comparison, 'workload-change').length;
  const unjudged = withVerdict(comparison, 'needs-repeats').length;
  const missing = comparison.onlyInBaseline;
  const parts = [
    missing.length > 0 ? `${plural(missing.length, 'transport')} missing from the current result (${missing.join(', ')})` : '',
    worse > 0 ? plural(worse, 'regression') : '',
    better > 0 ? plural(better, 'improvement') : '',
    workload > 0 ? `${plural(workload, 'change')} from the workload` : '',
  ].filter(Boolean);
  const changes = parts.length > 0 ? parts.join(', ') : 'No regressions or improvements';
  return unjudged > 0 ? `${changes}; ${unjudged} need${unjudged === 1 ? 's' : ''} --repeat to judge` : changes;
}

/** "push-bench compare: notifications". */
export function title(comparison: Comparison): string {
  return oneLine(`push-bench compare: ${scenarioName(comparison.current.result)}`);
}

/** How changes were decided: the tolerance, and Welch's t-test when both sides have repeats. */
export function method(comparison: Comparison): string {
  const tolerance = `±${formatPercent(comparison.tolerance)}`;
  const before = repeatCount(comparison.baseline.result);
  const after = repeatCount(comparison.current.result);
  if (before >= 2 && after >= 2) {
    return `A change counts when it exceeds ${tolerance} and is significant (Welch's t-test, two-sided, α = ${ALPHA} Holm-corrected over the figures tested, ${before} vs ${after} repeats).`;
  }
  return `A change counts when it exceeds ${tolerance} and, for latencies, ${LATENCY_FLOOR_MS} ms (single runs: no significance test; latency tails, connect time and process cost are judged only with --repeat).`;
}

/** "Only in baseline: websocket." lines, none when both sides ran the same transports. */
export function oneSidedTransports(comparison: Comparison, quote: (name: string) => string = (name) => name): string[] {
  const line = (side: string, names: readonly string[]) => (names.length > 0 ? [`Transports only in ${side}: ${names.map(quote).join(', ')}.`] : []);
  return [...line('baseline', comparison.onlyInBaseline), ...line('current', comparison.onlyInCurrent)];
}
