/** `push-bench validate <files...>`: one summary line per valid file, every problem of the others. */
import { loadScenarioFile } from '../scenario/load.js';
import { formatProblem } from '../scenario/problems.js';
import { describeScenario } from '../scenario/summary.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatWallTime, plannedRun, type PlannedRun } from '../scenario/timeline.js';
import { plannedStarts } from '../runner/start-plan.js';
import { parseVary } from '../scenario/vary.js';

export interface ValidateOptions {
  set: string[];
}

export async function validateCommand(files: string[], options: ValidateOptions, out: Output): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  for (const file of files) {
    const loaded = await loadScenarioFile(file, options.set);
    for (const warning of loaded.warnings) out.error(formatProblem(warning));
    if (loaded.ok) {
      const plan = planOf(loaded.scenario);
      out.data(`${file}: ok — ${describeScenario(loaded.scenario, plan)}`);
      if (loaded.scenario.sweep) out.data(`${file}: sweep — ${describeSweep(loaded.scenario, plan)}`);
    } else {
      for (const error of loaded.errors) out.error(formatProblem(error));
      code = EXIT.usage;
    }
  }
  return code;
}

/** "events.rate × 6 values: 6 runs, ~15m36s at the file's durations (push-bench sweep FILE)". */
function describeSweep(scenario: Scenario, plan: PlannedRun): string {
  const axes = (scenario.sweep?.vary ?? []).flatMap((raw) => {
    const parsed = parseVary(raw);
    return parsed.ok ? [parsed.vary] : [];
  });
  const points = axes.reduce((n, axis) => n * axis.values.length, 1);
  const parameters = axes.map((axis) => `${axis.path} × ${axis.values.length} values`).join(', ');
  return `${parameters}: ${points} runs, ~${formatWallTime(points * plan.totalMs)} at the file's durations (run it with push-bench sweep)`;
}

/** One run of the file as written, starting what it needs (validate has no --target or --broker). */
function planOf(scenario: Scenario): PlannedRun {
  return plannedRun(scenario, scenario.transports, 1, plannedStarts(scenario, scenario.transports));
}
