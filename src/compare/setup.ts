/**
 * What differs between two runs apart from the code under test: the scenario, the machine,
 * the repeats. Said up front, because a comparison of two different workloads or machines
 * flags "regressions" that no change of code caused.
 */
import { oneLine } from '../report/header.js';
import type { Result } from '../report/model.js';
import { runName } from '../transports/catalog.js';

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

/** Scenario keys that do not change the workload: its name and description, and the thresholds checked on it. */
const NOT_WORKLOAD = new Set(['name', 'description', 'thresholds']);

/**
 * The scenario as a workload, flattened: everything but its name, description and thresholds,
 * and of `transports` only those both results ran (a transport one side lacks is reported as
 * missing, not as a different workload).
 */
function workloadOf(result: Result, transports: ReadonlySet<string>): Map<string, string> {
  const scenario = Object.fromEntries(Object.entries(result.scenario).filter(([key]) => !NOT_WORKLOAD.has(key)));
  const plans = Array.isArray(scenario['transports']) ? (scenario['transports'] as Array<{ name?: unknown; label?: unknown }>) : [];
  const named = plans.map((plan) => [runName({ name: String(plan.name), ...(typeof plan.label === 'string' ? { label: plan.label } : {}) }), plan] as const);
  scenario['transports'] = Object.fromEntries(named.filter(([name]) => transports.has(name)));
  return flatten(scenario, '', new Map());
}

/** How the two results' workloads differ ("duration 20000 → 30000"), none when they ran the same one. */
export function workloadDifferences(baseline: Result, current: Result): string[] {
  const both = new Set(baseline.transports.map((t) => t.transport).filter((name) => current.transports.some((t) => t.transport === name)));
  return differences(workloadOf(baseline, both), workloadOf(current, both));
}

/** The differences in words, at most a few named. */
export function listDifferences(changed: readonly string[]): string {
  return listed(changed);
}

function scenarioNote(baseline: Result, current: Result): string[] {
  const changed = workloadDifferences(baseline, current);
  if (changed.length === 0) return [];
  return [`The workloads differ (${listed(changed)}): every change below is labelled a workload change, not judged better or worse.`];
}

function incompleteNote(baseline: Result, current: Result): string[] {
  const sides = [baseline.finishedAt === undefined ? 'the baseline' : '', current.finishedAt === undefined ? 'the current result' : ''].filter(Boolean);
  if (sides.length === 0) return [];
  return [`INCOMPLETE: ${sides.join(' and ')} did not finish (interrupted or failed); its figures cover what it measured.`];
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
  return [
    ...incompleteNote(baseline, current),
    ...scenarioNote(baseline, current),
    ...environmentNote(baseline, current),
    ...repeatsNote(baseline, current),
  ].map(oneLine);
}
