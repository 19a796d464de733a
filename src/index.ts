/**
 * push-bench as a library: load a scenario, run it, compare two results. The same code the
 * CLI runs, with the CLI's file writing, progress and exit codes left to the caller.
 */
import { compareResults as compareSides, type Comparison } from './compare/compare.js';
import type { Result } from './report/model.js';
import { runRepeated } from './runner/run-repeated.js';
import type { RunOutcome } from './runner/run.js';
import { loadScenarioFile, loadScenarioText, type LoadResult } from './scenario/load.js';
import type { Scenario } from './scenario/scenario.js';
import { runName } from './transports/catalog.js';

export type { Comparison, ComparedFigure } from './compare/compare.js';
export type { Judgement, Verdict } from './compare/verdict.js';
export type { Result, TransportResult } from './report/model.js';
export type { RunOutcome } from './runner/run.js';
export type { LoadResult } from './scenario/load.js';
export type { Problem } from './scenario/problems.js';
export type { Scenario } from './scenario/scenario.js';

/** Where the scenario comes from: a file (`-` is standard input), or YAML text (`name` labels its problems). */
export type ScenarioSource = { file: string; set?: readonly string[] } | { text: string; name?: string; set?: readonly string[] };

/**
 * Reads and validates a scenario. `set` holds overrides as `--set` takes them, e.g.
 * `clients.count=20`. Bad input never throws: the answer lists every problem, located.
 */
export async function loadScenario(source: ScenarioSource): Promise<LoadResult> {
  const set = source.set ?? [];
  return 'file' in source ? loadScenarioFile(source.file, set) : loadScenarioText(source.text, source.name ?? '<text>', set);
}

export interface RunScenarioOptions {
  /** The runs to measure, by transport name or `name/label` (default: every one the scenario lists). */
  transports?: readonly string[];
  /** Run the whole scenario this many times; each figure is then the median of the repeats. */
  repeat?: number;
  /** Stops the run; what finished is kept and the outcome says `interrupted`. */
  signal?: AbortSignal;
  /** Called with the result so far after every transport. */
  onResult?: (result: Result) => void | Promise<void>;
}

/**
 * Runs a loaded scenario against a reference server it starts (and stops) itself, in child
 * processes like `push-bench run`. Resolves with the result, also when a transport failed or
 * the run was stopped (see `error` and `interrupted`).
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<RunOutcome> {
  const names = options.transports;
  const transports =
    names === undefined ? scenario.transports : scenario.transports.filter((plan) => names.includes(plan.name) || names.includes(runName(plan)));
  const unknown = names?.filter((name) => !scenario.transports.some((plan) => plan.name === name || runName(plan) === name)) ?? [];
  if (unknown.length > 0 || transports.length === 0)
    throw new Error(
      `transports: scenario ${scenario.name} does not run ${unknown.map((name) => `"${name}"`).join(', ') || 'none of those'}; it runs ${scenario.transports.map(runName).join(', ')}`,
    );
  const onResult = options.onResult;
  return runRepeated(
    {
      scenario,
      transports,
      signal: options.signal ?? new AbortController().signal,
      onResult: async (result) => {
        await onResult?.(result);
      },
    },
    options.repeat ?? 1,
  );
}

/**
 * Compares two results figure by figure, as `push-bench compare` does. `tolerance` is the
 * smallest relative change that counts, a fraction (default 0.1, i.e. 10 %).
 */
export function compareResults(baseline: Result, current: Result, options: { tolerance?: number } = {}): Comparison {
  return compareSides({ name: 'baseline', result: baseline }, { name: 'current', result: current }, { tolerance: options.tolerance ?? 0.1 });
}
