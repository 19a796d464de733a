/**
 * `push-bench sweep <scenario.yaml> --vary path=values [--vary …]`: the scenario at every point
 * of a grid, every transport at every point; sweep.json (every point's whole result), sweep.md
 * (the crossings, the recommendation per point, a table per figure) and sweep.html (the same
 * with a chart per figure) in one folder.
 * Everything is checked before the first point runs: every point's scenario, the machine's
 * limits at every point, the brokers, the folder, and how long it will take.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import writeFileAtomic from 'write-file-atomic';
import { prepareWritableDirectory } from '../io/directories.js';
import { reasonOf } from '../io/fs-errors.js';
import { formatLimitCheck } from '../runner/limits.js';
import { runRepeated } from '../runner/run-repeated.js';
import { parseBudget } from '../scenario/budget.js';
import { checkGrid } from '../sweep/grid.js';
import { renderSweep } from '../sweep/render.js';
import { runSweep, SWEEP_FILE, type SweepPlan } from '../sweep/run-sweep.js';
import { parseVary, type Vary } from '../scenario/vary.js';
import { formatWallTime, plannedRun } from '../scenario/timeline.js';
import { plannedStarts } from '../runner/start-plan.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { kneeCommand } from './sweep-knee.js';
import { loadScenarioText } from '../scenario/load.js';
import { formatProblem } from '../scenario/problems.js';
import type { SweepSection } from '../scenario/sweep-field.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Output } from './output.js';
import { createProgress, endingOf, progressMode } from './progress.js';
import { brokerProblems, checkMachine, parseBrokers, parseRepeat, probeBrokers, selectTransports, serverLayoutProblems } from './run-checks.js';
import { serverLayoutOf } from '../runner/run.js';

export interface SweepCommandOptions {
  vary: string[];
  set: string[];
  repeat?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  yes?: boolean;
  budget?: string;
  minimise?: string;
  transports?: string;
  broker?: string[];
  progress?: string;
  quiet?: boolean;
  find?: string;
  until?: string;
}

/** A sweep longer than this asks for --yes: it may be a typo in a range, and it holds the machine for that long. */
const CONFIRM_ABOVE_MS = 30 * 60_000;

export async function sweepCommand(file: string, options: SweepCommandOptions, out: Output, signal: AbortSignal): Promise<ExitCode> {
  if (options.find !== undefined || options.until !== undefined) {
    if (options.find === undefined || options.until === undefined)
      throw new UsageError('--find and --until go together, e.g. --find clients.count --until "latency.p99 < 1s"');
    if (options.vary.length > 0) throw new UsageError('--find searches one parameter by itself; leave out --vary (or run the grid first, then search)');
    const unused = (['budget', 'minimise', 'resume'] as const).filter((key) => options[key] !== undefined);
    if (unused.length > 0)
      throw new UsageError(
        `--find takes no ${unused.map((key) => `--${key}`).join(', ')}: it runs each step once per repeat and keeps knee.json; leave them out`,
      );
    return kneeCommand(file, await readScenario(file), { ...options, find: options.find, until: options.until }, out, signal);
  }
  const repeat = parseRepeat(options.repeat);
  if (options.resume && options.out === undefined) throw new UsageError('--resume needs --out, the folder of the sweep to finish');
  const text = await readScenario(file);
  // The command line wins; without --vary, the scenario's own `sweep:` says what to vary (and by what to choose).
  const section = options.vary.length === 0 ? sweepSectionOf(text, file, options.set, out) : null;
  if (section === 'invalid') return EXIT.usage;
  const axes = (options.vary.length > 0 ? options.vary : (section?.vary ?? [])).map(varyOf);
  const choose = chooseOf(
    options.budget === undefined && options.minimise === undefined && section
      ? { budget: section.budget ?? undefined, minimise: section.minimise ?? undefined }
      : options,
  );
  const checked = checkGrid(text, file, axes, options.set);
  if (!checked.ok) {
    for (const problem of checked.problems) out.error(problem);
    return EXIT.usage;
  }
  const points = checked.points.map((point) => ({
    ...point,
    scenario: { ...point.scenario, transports: selectTransports(point.scenario, options.transports) },
  }));
  const brokers = parseBrokers(options.broker ?? []);
  // The machine's limits at every point (the client count may be what varies), said once per distinct problem.
  const lines = new Set<string>();
  let refused = false;
  for (const point of points) {
    const layout = serverLayoutOf(point.scenario, undefined);
    const limits = checkMachine(point.scenario, point.scenario.transports.length, undefined, undefined, layout.processes);
    limits.problems.push(...brokerProblems(point.scenario, point.scenario.transports, brokers));
    limits.problems.push(...serverLayoutProblems(point.scenario, point.scenario.transports, layout));
    if (limits.problems.length > 0) refused = true;
    for (const line of formatLimitCheck(limits)) lines.add(`${point.key}: ${line}`);
  }
  for (const line of lines) out.error(line);
  if (refused) return EXIT.usage;
  await probeBrokers(brokers);

  const planOf = (scenario: Scenario) => plannedRun(scenario, scenario.transports, repeat, plannedStarts(scenario, scenario.transports, { brokers }));
  const totalMs = points.reduce((sum, point) => sum + planOf(point.scenario).totalMs, 0);
  const scenarioName = points[0]!.scenario.name;
  out.error(
    `push-bench: sweep ${scenarioName}: ${points.length} point${points.length === 1 ? '' : 's'} × ${points[0]!.scenario.transports.length} transports${repeat > 1 ? ` × ${repeat} repeats` : ''}, about ${formatWallTime(totalMs)} in all`,
  );
  if (totalMs > CONFIRM_ABOVE_MS && options.yes !== true) {
    throw new UsageError(
      `this sweep would take about ${formatWallTime(totalMs)}; add --yes to run it, or fewer points (a larger step) or a shorter duration (--set duration=10s)`,
    );
  }
  const outDir = options.out ?? join('results', `${scenarioName}-sweep-${new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '')}`);
  try {
    await prepareWritableDirectory(outDir);
  } catch (error) {
    throw new UsageError(`--out: cannot write the sweep to ${outDir}: ${reasonOf(error)}; give a folder you can write to`);
  }

  const plan: SweepPlan = { file, text, sets: options.set, axes, repeat, points, ...(choose ? { choose } : {}) };
  const mode = progressMode(options.progress, process.stderr, process.env, options.quiet ?? false);
  /** One progress block per point: its transports and repeats, as `run` shows them. */
  const progressOf = (scenario: Scenario) =>
    createProgress(mode, process.stderr, process.env, () => performance.now(), { scenario: scenario.name, plan: planOf(scenario) });
  const startedMs = performance.now();
  const outcome = await runSweep(plan, {
    outDir,
    resume: options.resume === true,
    force: options.force === true,
    signal,
    onPoint: ({ ordinal, of, point }) => {
      const elapsed = performance.now() - startedMs;
      const left = ordinal > 1 ? (elapsed / (ordinal - 1)) * (of - ordinal + 1) : planOf(points[point.index]!.scenario).totalMs * (of - ordinal + 1);
      if (mode !== 'none') out.error(`push-bench: point ${ordinal} of ${of}: ${point.key} (about ${formatWallTime(left)} left)`);
    },
    runPoint: async (point) => {
      const progress = progressOf(point.scenario);
      const outcome = await runRepeated(
        {
          scenario: point.scenario,
          transports: point.scenario.transports,
          brokers,
          signal,
          onResult: () => Promise.resolve(),
          onStatus: (status, stepChanged) => progress.status(status, stepChanged),
          onTransportDone: (result) => progress.done(result),
          onFault: (message) => progress.log(`push-bench: ${point.key}: ${message}`),
        },
        repeat,
        (index) => progress.repeat(index),
      );
      progress.finish(endingOf(outcome));
      return outcome;
    },
  });
  if (!outcome.ok) throw new UsageError(outcome.message);

  const { markdown, html, csv } = renderSweep(outcome.sweep);
  await writeFileAtomic(join(outDir, 'sweep.md'), markdown);
  await writeFileAtomic(join(outDir, 'sweep.html'), html);
  await writeFileAtomic(join(outDir, 'sweep.csv'), csv);
  if (!options.quiet) out.error(markdown.trimEnd());
  if (outcome.skipped > 0)
    out.error(`push-bench: resumed: ${outcome.skipped} point${outcome.skipped === 1 ? '' : 's'} kept from before, ${outcome.ran} run now`);
  if (outcome.failed > 0) out.error(`push-bench: ${outcome.failed} point${outcome.failed === 1 ? '' : 's'} failed; their results keep what was measured`);
  if (outcome.interrupted)
    out.error(
      `push-bench: interrupted; finish the sweep with: push-bench sweep ${file} ${options.vary.map((v) => `--vary '${v}' `).join('')}--out ${outDir} --resume`,
    );
  out.error(`push-bench: sweep in ${outDir} (${SWEEP_FILE}, sweep.md, sweep.html, sweep.csv)`);
  if (outcome.interrupted) return EXIT.interrupted;
  return outcome.failed > 0 ? EXIT.failed : EXIT.ok;
}

function varyOf(raw: string): Vary {
  const parsed = parseVary(raw);
  if (!parsed.ok) throw new UsageError(`--vary ${parsed.message}`);
  return parsed.vary;
}

/** The scenario's `sweep:` section, or null without one; 'invalid' (problems said) when the file does not load. */
function sweepSectionOf(text: string, file: string, sets: readonly string[], out: Output): SweepSection | null | 'invalid' {
  const loaded = loadScenarioText(text, file, sets);
  if (loaded.ok) return loaded.scenario.sweep;
  for (const problem of loaded.errors) out.error(formatProblem(problem));
  return 'invalid';
}

/** The recommendation asked for, checked: both texts, or neither. */
function chooseOf(options: Pick<SweepCommandOptions, 'budget' | 'minimise'>): { budget: string; minimise: string } | undefined {
  if (options.budget === undefined && options.minimise === undefined) return undefined;
  if (options.budget === undefined || options.minimise === undefined) {
    throw new UsageError('--budget and --minimise go together, e.g. --budget "latency.p99 < 2s" --minimise bytes.perDelivery');
  }
  const parsed = parseBudget(options.budget, options.minimise);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return { budget: options.budget.trim(), minimise: options.minimise.trim() };
}

async function readScenario(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the scenario ${file} (${reasonOf(error)}); give the path of a .yaml file, e.g. scenarios/notifications.yaml`);
  }
}
