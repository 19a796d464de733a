/** `--repeat N`: the whole scenario N times, written as one result after every transport. */
import { randomUUID } from 'node:crypto';
import type { Result } from '../report/model.js';
import { combineRepeats, type Repeat } from './repeats.js';
import { runScenario, type RunOptions, type RunOutcome } from './run.js';
import { evaluateThresholds } from './thresholds.js';

export async function runRepeated(options: RunOptions, repeat: number, onRepeat?: (index: number) => void): Promise<RunOutcome> {
  if (repeat <= 1) return runScenario(options);
  const runId = options.runId ?? randomUUID();
  const finished: Repeat[] = [];
  const evaluate = (transports: Result['transports']) => evaluateThresholds({ transports }, options.scenario.thresholds);
  let outcome: RunOutcome | undefined;
  for (let i = 0; i < repeat; i++) {
    onRepeat?.(i);
    const isLast = i === repeat - 1;
    outcome = await runScenario({
      ...options,
      runId,
      onResult: async (partial) => {
        const combined = combineRepeats(finished, partial, evaluate);
        // Finished only when the last repeat is.
        if (!isLast) delete combined.finishedAt;
        await options.onResult(combined);
      },
    });
    const combined = combineRepeats(finished, outcome.result, evaluate);
    if (!isLast) delete combined.finishedAt;
    finished.push({ startedAt: outcome.result.startedAt, transports: outcome.result.transports });
    outcome = { ...outcome, result: combined };
    if (outcome.interrupted || outcome.error) break;
  }
  return outcome!;
}
