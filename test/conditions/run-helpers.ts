/** Runs a scenario in-process through runScenario (real server, proxy and client processes) and returns its transports' results. */
import type { TransportResult } from '../../src/report/model.js';
import { runScenario } from '../../src/runner/run.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

export async function runYaml(yaml: string, shards = 1): Promise<TransportResult[]> {
  const loaded = loadScenarioText(yaml, 'conditions.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
  const outcome = await runScenario({
    scenario: loaded.scenario,
    transports: loaded.scenario.transports,
    shards,
    signal: new AbortController().signal,
    onResult: () => Promise.resolve(),
  });
  if (outcome.error) throw outcome.error;
  return outcome.result.transports;
}
