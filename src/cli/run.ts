/**
 * `push-bench run <scenario.yaml...>`: parse → load scenarios → run each → export. Every input
 * is checked before anything runs; results are written after each transport.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prepareWritableDirectory } from '../io/directories.js';
import { reasonOf } from '../io/fs-errors.js';
import { fileNameOf, readResultFile, writeResultFiles } from '../io/result-files.js';
import { serialize as tableText } from '../report/table.js';
import { exporters, getExporter, type Exporter, type ExportOptions } from '../report/registry.js';
import { CSV_LAYOUTS, type CsvLayout } from '../report/csv.js';
import type { Result } from '../report/model.js';
import { loadScenarioFile } from '../scenario/load.js';
import { formatProblem } from '../scenario/problems.js';
import type { Scenario } from '../scenario/scenario.js';
import { runName, type TransportPlan } from '../transports/catalog.js';
import { failsRun } from '../report/warning-codes.js';
import { scenarioName } from '../report/header.js';
import { runRepeated } from '../runner/run-repeated.js';
import { formatLimitCheck } from '../runner/limits.js';
import { parseThreshold, type Threshold } from '../scenario/thresholds.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { showSideBySide, type ServerRun } from './side-by-side.js';
import { checkPathsUsed, checkTarget, checkTargetFits, parseTargetList, parseTargetPid, REFERENCE, serverLabel, serversOf, uniqueTargets } from './target.js';
import type { Output } from './output.js';
import { DEFAULT_FORMATS, parseFormats } from './formats.js';
import { createProgress, endingOf, progressMode } from './progress.js';
import { brokerProblems, checkMachine, parseBrokers, parseRepeat, probeBrokers, selectTransports, serverLayoutProblems } from './run-checks.js';
import { serverLayoutOf } from '../runner/run.js';
import { MAX_SERVER_PROCESSES } from '../scenario/server-field.js';
import { performance } from 'node:perf_hooks';
import { plannedRun } from '../scenario/timeline.js';
import { plannedStarts } from '../runner/start-plan.js';
import { checkSegmentable, parseSegmentFlags, segmentRunId } from './segment-checks.js';
import { segmentRange } from '../runner/segment.js';

export interface RunCommandOptions {
  transports?: string;
  out?: string;
  force?: boolean;
  format?: string;
  quiet?: boolean;
  progress?: string;
  clientProcesses?: string;
  serverProcesses?: string;
  repeat?: string;
  threshold: string[];
  set: string[];
  target?: string;
  targetPid?: string;
  broker?: string[];
  csvLayout?: string;
  segment?: string;
  startAt?: string;
}

/** What `--out -` prints when no --format says otherwise. */
const DEFAULT_STDOUT_FORMAT = 'json';

export async function runCommand(files: string[], options: RunCommandOptions, out: Output, signal: AbortSignal): Promise<ExitCode> {
  if (options.out !== undefined && options.out.trim() === '') throw new UsageError('--out: give a folder, or - for stdout');
  const toStdout = options.out === '-';
  const formats = parseFormats(options.format, toStdout ? [DEFAULT_STDOUT_FORMAT] : DEFAULT_FORMATS);
  const exportOptions: ExportOptions = { csvLayout: parseCsvLayout(options.csvLayout) };
  const shards = parseClientProcesses(options.clientProcesses);
  const serverProcesses = parseServerProcesses(options.serverProcesses);
  const repeat = parseRepeat(options.repeat);
  const extraThresholds = parseThresholdFlags(options.threshold);
  const fromFlag = options.target === undefined ? undefined : parseTargetList(options.target);
  const segment = parseSegmentFlags(options, Date.now());
  const loaded = await loadAll(files, options.set, out);
  if (!loaded) return EXIT.usage;
  const scenarios = loaded.map((scenario) => ({ ...scenario, thresholds: [...scenario.thresholds, ...extraThresholds] }));
  const plans = scenarios.flatMap((scenario, group) => {
    const transports = selectTransports(scenario, options.transports);
    checkThresholdsRun(scenario, transports, extraThresholds, out);
    const servers = serversOf(scenario, fromFlag);
    checkPathsUsed(scenario, servers);
    if (segment) {
      const only = servers.length === 1 && servers[0] !== REFERENCE ? servers[0] : undefined;
      checkSegmentable(scenario, transports, { targets: only ? 1 : 0, adapter: only?.adapter.name, repeat });
    }
    return servers.map((server) => {
      const target = server === REFERENCE ? undefined : server;
      if (target) checkTargetFits(target, scenario, transports);
      // Side by side, each server's result gets a folder of its own, named after it.
      const name = servers.length > 1 ? `${scenario.name}-${serverLabel(server)}` : scenario.name;
      const label = serverLabel(server);
      return {
        scenario,
        group,
        label,
        sideBySide: servers.length > 1,
        name,
        transports,
        target,
        // A segment runs against a --target; the server's processes are the reference server's own.
        limits: target
          ? checkMachine(
              scenario,
              transports.length,
              shards,
              target.host,
              undefined,
              segment ? { clients: segmentRange(segment.spec, scenario.clients.count).count } : undefined,
            )
          : checkMachine(scenario, transports.length, shards, undefined, serverLayoutOf(scenario, serverProcesses).processes),
      };
    });
  });
  const stdout = toStdout ? stdoutExporter(formats, plans.length) : undefined;
  const brokers = parseBrokers(options.broker ?? []);
  for (const { scenario, transports, limits, target } of plans) {
    limits.problems.push(...brokerProblems(scenario, transports, brokers));
    if (!target) limits.problems.push(...serverLayoutProblems(scenario, transports, serverLayoutOf(scenario, serverProcesses)));
  }
  await probeBrokers(brokers);
  const targets = uniqueTargets(plans);
  const targetPid = parseTargetPid(options.targetPid, [...new Map(targets.map(({ target }) => [target.url, target])).values()]);
  for (const { target, scenario } of targets) {
    await checkTarget(target, { paths: scenario.target?.paths ?? {} });
    // Loopback is the default; a remote host is loaded only because it was named, and the run says so.
    out.error(
      `push-bench: target ${target.adapter.prefix}${target.url}: ${target.loopback ? 'a server on this machine' : `the remote host ${target.host} will be loaded`}`,
    );
  }
  // Every scenario is checked against the machine's limits before the first one starts.
  for (const { limits } of plans) for (const line of formatLimitCheck(limits)) out.error(line);
  if (plans.some(({ limits }) => limits.problems.length > 0)) return EXIT.usage;
  const outDirs = toStdout
    ? plans.map(() => null)
    : resultDirs(
        options.out,
        plans.map(({ name }) => name),
      );
  // Where results go is checked before anything runs: a wrong --out must not cost a run, and a
  // run must not replace another's result unasked.
  for (const dir of outDirs) if (dir) await prepareOutput(dir, options.force === true);
  /** What goes to stdout with --out -: every result, printed as one document at the end. */
  const printed: Result[] = [];
  /** The folders a result was written to, in run order. */
  const wroteTo = new Set<string>();

  let code: ExitCode = EXIT.ok;
  /** Derived files (report.html, …) that could not be written, by path: the run fails at its end. */
  const exportFailures = new Map<string, string>();
  /** Side by side: each scenario's results, server by server, to compare when all have run. */
  const sideBySide = new Map<number, ServerRun[]>();
  for (const [index, { scenario, group, label, transports, target, limits, ...plan }] of plans.entries()) {
    if (signal.aborted) break;
    const outDir = outDirs[index] ?? null;
    const progress = createProgress(
      progressMode(options.progress, process.stderr, process.env, options.quiet ?? false),
      process.stderr,
      process.env,
      () => performance.now(),
      {
        scenario: scenario.name,
        plan: plannedRun(
          scenario,
          transports,
          repeat,
          plannedStarts(scenario, transports, { target: target !== undefined, brokers, ...(serverProcesses ? { serverProcesses } : {}) }),
        ),
      },
    );
    progress.log(
      `push-bench: ${scenario.name}: ${transports.map((t) => t.name).join(', ')} with ${scenario.clients.count} clients${outDir ? ` → ${outDir}` : ''}`,
    );
    const outcome = await runRepeated(
      {
        scenario,
        transports,
        ...(shards ? { shards } : {}),
        ...(serverProcesses ? { serverProcesses } : {}),
        ...(target ? { target: { url: target.url, adapter: target.adapter, options: { paths: scenario.target?.paths ?? {} } } } : {}),
        ...(target && targetPid !== undefined ? { targetPid } : {}),
        brokers,
        ...(segment ? { segment: { ...segment, runId: segmentRunId(scenario, transports[0]!, segment) } } : {}),
        localAddresses: limits.localAddresses,
        warnings: limits.warnings.map((w) => ({ code: `limit-${w.code}`, message: w.message })),
        signal,
        onStatus: (status, stepChanged) => progress.status(status, stepChanged),
        onTransportDone: (result) => progress.done(result),
        onFault: (message) => progress.log(`push-bench: ${scenario.name}: ${message}`),
        onResult: async (result) => {
          if (!outDir) return;
          const files = await writeResultFiles(outDir, result, formats, exportOptions);
          wroteTo.add(outDir);
          for (const { path, reason } of files.failed) {
            // Said once per file; the run goes on (result.json is written and can re-render it later).
            if (!exportFailures.has(path)) out.error(`push-bench: could not write ${path} (${reason}); result.json is kept: re-render with push-bench report`);
            exportFailures.set(path, reason);
          }
        },
      },
      repeat,
      (index) => progress.repeat(index),
    );
    progress.finish(endingOf(outcome));
    // The table is for the person at the terminal: on stderr, also beside data on stdout, unless the table is what stdout gets.
    if ((formats.includes('table') || toStdout) && stdout !== exporters.table && !options.quiet) out.error(tableText(outcome.result));
    if (toStdout) printed.push(outcome.result);
    code = worst(code, exitCodeOf(outcome.result, outcome.interrupted, outcome.error, out));
    if (plan.sideBySide) sideBySide.set(group, [...(sideBySide.get(group) ?? []), { label, result: outcome.result, dir: outDir }]);
  }
  if (stdout && printed.length > 0) out.data(stdoutText(stdout, printed, exportOptions).replace(/\n$/, ''));
  for (const runs of sideBySide.values()) await showSideBySide(runs, out);
  if (exportFailures.size > 0) {
    out.error(`push-bench: ${exportFailures.size} export${exportFailures.size > 1 ? 's' : ''} could not be written: ${[...exportFailures.keys()].join(', ')}`);
    code = worst(code, EXIT.failed);
  }
  // The last line says where the results are, after any message that scrolled them away.
  out.error(whereResultsAre(stdout && printed.length > 0 ? formats[0]! : null, [...wroteTo], formats));
  return code;
}

/**
 * With --out -, stdout carries exactly one format: two formats in one stream could not be told
 * apart by a script. Several results (several scenarios, or servers side by side) become one
 * document where the format can hold them (a JSON array, one CSV table); HTML holds one.
 */
function stdoutExporter(formats: readonly string[], results: number): Exporter {
  if (formats.length !== 1) {
    throw new UsageError(
      `--out - prints one format on stdout, but --format names ${formats.length} (${formats.join(', ')}); give one, e.g. --format csv, or --out DIR for files`,
    );
  }
  const exporter = getExporter(formats[0]!);
  if (results > 1 && exporter.serializeAll === undefined) {
    throw new UsageError(
      `--out - --format ${formats[0]}: this run has ${results} results and ${formats[0]} holds one; use --out DIR, or --format json (an array)`,
    );
  }
  return exporter;
}

function stdoutText(exporter: Exporter, results: readonly Result[], options: ExportOptions): string {
  return results.length === 1 || exporter.serializeAll === undefined ? exporter.serialize(results[0]!, options) : exporter.serializeAll(results, options);
}

/** "push-bench: results in results/notifications-… (result.json, result.csv, result.md, report.html)". */
function whereResultsAre(stdoutFormat: string | null, dirs: readonly string[], formats: readonly string[]): string {
  if (stdoutFormat !== null) return `push-bench: results on stdout (${stdoutFormat})`;
  if (dirs.length === 0) return 'push-bench: no result was written';
  const files = [
    'result.json',
    ...new Set(
      formats
        .map(getExporter)
        .filter((e) => e !== exporters.json && e.terminal !== true)
        .map(fileNameOf),
    ),
  ];
  return `push-bench: results in ${dirs.join(', ')} (${files.join(', ')})`;
}

function exitCodeOf(result: Result, interrupted: boolean, error: Error | undefined, out: Output): ExitCode {
  if (interrupted) {
    out.error(`push-bench: interrupted; kept the ${result.transports.length} transports that finished.`);
    return EXIT.interrupted;
  }
  if (error) {
    out.error(`push-bench: the run failed: ${error.message}`);
    return EXIT.failed;
  }
  const failures = result.transports.flatMap((t) => t.warnings.filter((w) => failsRun(w.code)).map((w) => `[${t.transport}] ${w.message}`));
  if (failures.length > 0) {
    out.error(`push-bench: the run failed: ${failures.join(' ')}`);
    return EXIT.failed;
  }
  const broken = result.thresholds.filter((t) => !t.ok);
  if (broken.length > 0) {
    out.error(`push-bench: ${broken.length} threshold${broken.length > 1 ? 's' : ''} broken: ${broken.map((t) => t.expr).join('; ')}`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

function worst(a: ExitCode, b: ExitCode): ExitCode {
  return Math.max(a, b) as ExitCode;
}

async function loadAll(files: string[], overrides: string[], out: Output): Promise<Scenario[] | undefined> {
  const scenarios: Scenario[] = [];
  let failed = false;
  for (const file of files) {
    const loaded = await loadScenarioFile(file, overrides);
    for (const warning of loaded.warnings) out.error(formatProblem(warning));
    if (loaded.ok) scenarios.push(loaded.scenario);
    else {
      failed = true;
      for (const error of loaded.errors) out.error(formatProblem(error));
    }
  }
  return failed ? undefined : scenarios;
}

/**
 * A threshold of a transport that will not run would never be checked, and a CI guard that
 * silently checks nothing is worse than none: refused for --threshold, said for the scenario's.
 */
function checkThresholdsRun(scenario: Scenario, transports: readonly TransportPlan[], fromFlags: readonly Threshold[], out: Output): void {
  const running = transports.map(runName);
  for (const threshold of scenario.thresholds) {
    if (running.includes(threshold.transport)) continue;
    const fromFlag = fromFlags.includes(threshold);
    // The scenario's own thresholds of transports it never runs were already warned about when loading.
    if (!fromFlag && !scenario.transports.some((plan) => runName(plan) === threshold.transport)) continue;
    const why = `"${threshold.expr}" names ${threshold.transport}, which this run of ${scenario.name} does not include (it runs ${running.join(', ')})`;
    if (fromFlag) throw new UsageError(`--threshold ${why}; drop the threshold or add the transport`);
    out.error(`push-bench: warning: ${why}; it will not be checked`);
  }
}

async function prepareOutput(dir: string, replace: boolean): Promise<void> {
  const existing = join(dir, 'result.json');
  if (!replace && existsSync(existing)) {
    const previous = await readResultFile(existing);
    const which = previous.ok ? ` (${scenarioName(previous.result)}, started ${previous.result.startedAt})` : '';
    throw new UsageError(`--out: ${dir} already holds a result${which}; add --force to replace it, or give another folder`);
  }
  try {
    await prepareWritableDirectory(dir);
  } catch (error) {
    throw new UsageError(`--out: cannot write results to ${dir}: ${reasonOf(error)}; give a folder you can write to, or --out - for stdout`);
  }
}

/** `--threshold` expressions, checked like the scenario's before anything runs. */
function parseThresholdFlags(texts: readonly string[]): Threshold[] {
  return texts.map((text) => {
    const parsed = parseThreshold(text);
    if (!parsed.ok) throw new UsageError(`--threshold ${parsed.message}`);
    return parsed.threshold;
  });
}

function parseServerProcesses(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SERVER_PROCESSES)
    throw new UsageError(`--server-processes ${JSON.stringify(text)}: use a whole number from 1 to ${MAX_SERVER_PROCESSES}`);
  return n;
}

function parseClientProcesses(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--client-processes ${JSON.stringify(text)}: use a whole number from 1 to 64`);
  return n;
}

function parseCsvLayout(text: string | undefined): CsvLayout {
  if (text === undefined) return 'wide';
  const layout = CSV_LAYOUTS.find((l) => l === text);
  if (layout === undefined) throw new UsageError(`--csv-layout ${JSON.stringify(text)}: use ${CSV_LAYOUTS.join(' or ')}`);
  return layout;
}

/**
 * One folder per scenario: results/<name>-<timestamp> by default; with several scenarios,
 * --out/<name>; a name that comes twice (the same file given twice) gets -2, -3, ... so that no
 * run writes over another of the same command. A default folder that exists already (two runs
 * in one second) gets the next free suffix: a default never replaces anything.
 */
function resultDirs(out: string | undefined, names: readonly string[]): string[] {
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    const unique = count === 1 ? name : `${name}-${count}`;
    if (out !== undefined) return names.length > 1 ? join(out, unique) : out;
    let dir = join('results', `${unique}-${stamp}`);
    for (let n = 2; taken.has(dir) || existsSync(dir); n++) dir = join('results', `${unique}-${stamp}-${n}`);
    taken.add(dir);
    return dir;
  });
}
