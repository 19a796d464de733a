/**
 * `push-bench sweep <scenario> --find PATH --until EXPR`: per transport, the largest value of
 * PATH at which EXPR still holds, each step a real run of that transport alone (see
 * sweep/knee.ts for the search). A value the machine cannot run (the preflight refuses it)
 * stops the search there, and the answer says the machine, not the transport, was the limit.
 */
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { parse as parseYamlValue } from 'yaml';
import { figureValue } from '../figures/read.js';
import { prepareWritableDirectory } from '../io/directories.js';
import { reasonOf } from '../io/fs-errors.js';
import { FORMAT_OF_UNIT } from '../report/format.js';
import type { Result } from '../report/model.js';
import { runRepeated } from '../runner/run-repeated.js';
import { loadScenarioText } from '../scenario/load.js';
import { applyOverrides, parseOverride } from '../scenario/overrides.js';
import { formatProblem } from '../scenario/problems.js';
import type { Threshold } from '../scenario/thresholds.js';
import { runName } from '../transports/catalog.js';
import { withinBudget } from '../sweep/analysis.js';
import { parseCondition } from '../scenario/budget.js';
import { findKnee, type Knee, type ProbeOutcome } from '../sweep/knee.js';
import { numberAndUnit, tidy } from '../scenario/vary.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import { brokerProblems, checkMachine, parseBrokers, parseRepeat, probeBrokers, selectTransports, serverLayoutProblems } from './run-checks.js';
import { serverLayoutOf } from '../runner/run.js';

export interface KneeCommandOptions {
  find: string;
  until: string;
  set: string[];
  repeat?: string;
  out?: string;
  transports?: string;
  broker?: string[];
  quiet?: boolean;
}

/** Every probe is a whole run: a search longer than this is a search gone wrong. */
const MAX_STEPS = 16;

export async function kneeCommand(file: string, text: string, options: KneeCommandOptions, out: Output, signal: AbortSignal): Promise<ExitCode> {
  const path = options.find.trim();
  const condition = conditionOf(options.until);
  /** The condition as the user wrote it (the parsed one names a stand-in transport). */
  const until = options.until.trim();
  const repeat = parseRepeat(options.repeat);
  const brokers = parseBrokers(options.broker ?? []);
  const start = startValue(text, file, path, options.set);
  const base = loadScenarioText(text, file, options.set);
  if (!base.ok) {
    for (const problem of base.errors) out.error(formatProblem(problem));
    return EXIT.usage;
  }
  await probeBrokers(brokers);
  const outDir = options.out ?? join('results', `${base.scenario.name}-knee-${new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '')}`);
  try {
    await prepareWritableDirectory(outDir);
  } catch (error) {
    throw new UsageError(`--out: cannot write to ${outDir}: ${reasonOf(error)}`);
  }
  const valueText = (n: number) => `${tidy(n)}${start.unit}`;
  const knees: Array<{ transport: string; knee: Knee }> = [];
  for (const plan of selectTransports(base.scenario, options.transports)) {
    const transport = runName(plan);
    out.error(`push-bench: ${transport}: looking for the largest ${path} with ${until}, from ${valueText(start.number)}`);
    const probe = async (value: number): Promise<ProbeOutcome> => {
      if (signal.aborted) return { kind: 'limit', reason: 'interrupted' };
      const loaded = loadScenarioText(text, file, [...options.set, `${path}=${valueText(value)}`]);
      if (!loaded.ok) return { kind: 'limit', reason: loaded.errors.map(formatProblem).join('; ') };
      const scenario = { ...loaded.scenario, transports: loaded.scenario.transports.filter((p) => runName(p) === transport) };
      const layout = serverLayoutOf(scenario, undefined);
      const limits = checkMachine(scenario, 1, undefined, undefined, layout.processes);
      limits.problems.push(...brokerProblems(scenario, scenario.transports, brokers));
      limits.problems.push(...serverLayoutProblems(scenario, scenario.transports, layout));
      if (limits.problems.length > 0) return { kind: 'limit', reason: limits.problems.map((p) => p.message).join('; ') };
      const outcome = await runRepeated(
        { scenario, transports: scenario.transports, brokers, signal, localAddresses: limits.localAddresses, onResult: () => Promise.resolve() },
        repeat,
      );
      const judged = judge(outcome.result, transport, condition);
      out.error(
        `push-bench: ${transport}: ${path}=${valueText(value)}: ${judged.kind}${judged.figure === null ? '' : ` (${condition.figure} ${FORMAT_OF_UNIT[condition.definition.unit](judged.figure)})`}`,
      );
      return outcome.interrupted ? { kind: 'limit', reason: 'interrupted' } : judged;
    };
    knees.push({
      transport,
      knee: await findKnee(
        { start: start.number, integer: start.integer, precision: 1.1, maxSteps: MAX_STEPS, minimum: start.integer ? 1 : start.number / 100 },
        probe,
      ),
    });
    if (signal.aborted) break;
  }
  const lines = knees.map(({ transport, knee }) => kneeLine(transport, knee, path, condition, until, valueText));
  await writeFileAtomic(join(outDir, 'knee.json'), `${JSON.stringify({ path, until, repeat, knees }, null, 2)}\n`);
  for (const line of lines) out.error(line);
  out.error(`push-bench: knees in ${join(outDir, 'knee.json')}`);
  return signal.aborted ? EXIT.interrupted : EXIT.ok;
}

function kneeLine(transport: string, knee: Knee, path: string, condition: Threshold, until: string, valueText: (n: number) => string): string {
  const broke = knee.broke === null ? null : knee.steps.find((s) => s.value === knee.broke)?.outcome;
  const why =
    broke?.kind === 'limit'
      ? `${valueText(knee.broke!)} cannot run (${broke.reason})`
      : broke?.kind === 'broke'
        ? `${condition.figure} was ${broke.figure === null ? 'not measured' : FORMAT_OF_UNIT[condition.definition.unit](broke.figure)} at ${path}=${valueText(knee.broke!)}`
        : `the search stopped after ${knee.steps.length} runs`;
  const held = knee.held === null ? `no ${path} tried met ${until}` : `${until} holds up to ${path}=${valueText(knee.held)}`;
  return `push-bench: ${transport}: ${held}; ${why}`;
}

/** Held when the figure meets the condition in every repeat (or the single run); the figure shown is the median. */
function judge(result: Result, transport: string, condition: Threshold): { kind: 'held' | 'broke'; figure: number | null } {
  const found = result.transports.find((t) => t.transport === transport);
  const figure = found ? figureValue(condition.definition, found) : null;
  return { kind: withinBudget(result, transport, condition) ? 'held' : 'broke', figure: typeof figure === 'number' ? figure : null };
}

function conditionOf(text: string): Threshold {
  const parsed = parseCondition(text, '--until');
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.condition;
}

/** The parameter's value in the scenario (after --set): where the search starts. */
function startValue(text: string, file: string, path: string, sets: readonly string[]): { number: number; unit: string; integer: boolean } {
  const data = parseYamlValue(text) as unknown;
  if (typeof data !== 'object' || data === null) throw new UsageError(`${file} is not a scenario mapping`);
  const overrides = sets.flatMap((set) => {
    const parsed = parseOverride(set);
    return parsed.ok ? [parsed.override] : [];
  });
  applyOverrides(data as Record<string, unknown>, overrides);
  const value = path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), data);
  const parsed = typeof value === 'number' || typeof value === 'string' ? numberAndUnit(String(value)) : null;
  if (value === undefined || parsed === null || !(parsed.number > 0)) {
    throw new UsageError(
      `--find ${path}: ${file} gives it ${value === undefined ? 'no value' : JSON.stringify(value)}, and the search starts from a number above 0; give one with --set ${path}=100`,
    );
  }
  return { ...parsed, integer: parsed.unit === '' && Number.isInteger(parsed.number) };
}
