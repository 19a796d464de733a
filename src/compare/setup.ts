/**
 * What differs between two runs apart from the code under test: the scenario, the machine,
 * the repeats. Said up front, because a comparison of two different workloads or machines
 * flags "regressions" that no change of code caused.
 */
import { oneLine } from '../report/header.js';
import type { Result } from '../report/model.js';

/** How many differing scenario values to name before "and N more". */
const MAX_NAMED = 4;

/** Flattens nested objects to dotted paths; arrays and scalars are leaves, written as JSON. */
function flatten(value: unknown, prefix: string, into: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, JSON.stringify(value) ?? 'undefined');
  }
  return into;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  return paths
    .filter((path) => before.get(path) !== after.get(path))
    .map((path) => `${path} ${before.get(path) ?? '(unset)'} → ${after.get(path) ?? '(unset)'}`);
}

function listed(items: readonly string[]): string {
  const named = items.slice(0, MAX_NAMED).join('; ');
  return items.length > MAX_NAMED ? `${named}; and ${items.length - MAX_NAMED} more` : named;
}

function scenarioNote(baseline: Result, current: Result): string[] {
  const changed = differences(flatten(baseline.scenario, '', new Map()), flatten(current.scenario, '', new Map()));
  if (changed.length === 0) return [];
  return [`The scenarios differ (${listed(changed)}): changes may come from the workload, not the code.`];
}

const ENVIRONMENT_KEYS = ['node', 'os', 'arch', 'cpus', 'cpuModel'] as const;

function environmentNote(baseline: Result, current: Result): string[] {
  const changed = ENVIRONMENT_KEYS.filter((key) => baseline.environment[key] !== current.environment[key]).map(
    (key) => `${key} ${String(baseline.environment[key])} → ${String(current.environment[key])}`,
  );
  if (changed.length === 0) return [];
  return [`The runs had different machines or Node versions (${listed(changed)}): expect differences from that alone.`];
}

/** Repeats of a result, 0 without `--repeat`. */
export function repeatCount(result: Result): number {
  return result.repeats?.length ?? 0;
}

function repeatsNote(baseline: Result, current: Result): string[] {
  const before = repeatCount(baseline);
  const after = repeatCount(current);
  if (before >= 2 === after >= 2) return [];
  const which = before >= 2 ? `only the baseline has repeats (${before})` : `only the current result has repeats (${after})`;
  return [`${which[0]?.toUpperCase()}${which.slice(1)}: Welch's t-test needs repeats on both sides, so the tolerance alone decides.`];
}

/** Notes on everything that differs between the runs besides their figures; one line each. */
export function setupChanges(baseline: Result, current: Result): string[] {
  return [...scenarioNote(baseline, current), ...environmentNote(baseline, current), ...repeatsNote(baseline, current)].map(oneLine);
}
