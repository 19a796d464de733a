/** `push-bench validate <files...>`: one summary line per valid file, every problem of the others. */
import { loadScenarioFile } from '../scenario/load.js';
import { formatProblem } from '../scenario/problems.js';
import { describeScenario } from '../scenario/summary.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

export interface ValidateOptions {
  set: string[];
}

export async function validateCommand(files: string[], options: ValidateOptions, out: Output): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  for (const file of files) {
    const loaded = await loadScenarioFile(file, options.set);
    for (const warning of loaded.warnings) out.error(formatProblem(warning));
    if (loaded.ok) {
      out.data(`${file}: ok — ${describeScenario(loaded.scenario)}`);
    } else {
      for (const error of loaded.errors) out.error(formatProblem(error));
      code = EXIT.usage;
    }
  }
  return code;
}
