/** A scenario's text run through runScenario, as `push-bench run` drives it, to a parsed result. */
import { parseResult, type Result, type TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';

/** The scenario of a YAML text that must load. */
export function scenarioOf(text: string, file: string): Scenario {
  const loaded = loadScenarioText(text, file);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return loaded.scenario;
}

/** Runs every transport of `scenario` with `shards` client processes; the result as result.json would hold it. */
export async function runToResult(scenario: Scenario, shards: number): Promise<Result> {
  const outcome = await runScenario({
    scenario,
    transports: scenario.transports,
    shards,
    signal: new AbortController().signal,
    onResult: () => Promise.resolve(),
  });
  return parseResult(JSON.parse(JSON.stringify(outcome.result)));
}

/** One transport's result, or an error naming it. */
export function transportOf(result: Result, name: string): TransportResult {
  const found = result.transports.find((t) => t.transport === name);
  if (!found) throw new Error(`no ${name} in the result`);
  return found;
}
