/**
 * `push-bench compare <baseline.json> <current.json>`: read both → compare → table on stderr,
 * or Markdown or JSON on stdout, Markdown appended to the GitHub job summary when there is one →
 * exit 1 on a regression.
 */
import { appendFile } from 'node:fs/promises';
import { compareResults, hasRegression, type Comparison } from '../compare/compare.js';
import { reasonOf } from '../io/fs-errors.js';
import { readResultFile } from '../io/result-files.js';
import { serialize as jsonText } from '../compare/json.js';
import { serialize as markdownText } from '../compare/markdown.js';
import { headline } from '../compare/summary.js';
import { serialize as tableText } from '../compare/table.js';
import { listDifferences, workloadDifferences } from '../compare/setup.js';
import { DEFAULT_TOLERANCE, parseTolerance } from '../compare/tolerance.js';
import type { Result } from '../report/model.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

export interface CompareCommandOptions {
  tolerance?: string;
  format?: string;
  allowDifferentScenarios?: boolean;
}

/** `table`: the terminal table on stderr; `md`: Markdown on stdout (for a PR comment); `json`: one JSON document on stdout (for scripts). */
const FORMATS = ['table', 'md', 'json'] as const;
type CompareFormat = (typeof FORMATS)[number];

export async function compareCommand(baseline: string, current: string, options: CompareCommandOptions, out: Output): Promise<ExitCode> {
  const tolerance = toleranceOf(options.tolerance);
  const format = formatOf(options.format);
  const [before, after] = await readBoth(baseline, current);
  const differences = workloadDifferences(before, after);
  if (differences.length > 0 && options.allowDifferentScenarios !== true) {
    throw new UsageError(
      `${baseline} and ${current} ran different workloads (${listDifferences(differences)}): their changes would come from the workload, not the code. ` +
        'Compare results of the same scenario, or add --allow-different-scenarios to see them labelled as workload changes.',
    );
  }
  const comparison = compareResults({ name: baseline, result: before }, { name: current, result: after }, { tolerance });
  show(comparison, format, out);
  await appendJobSummary(comparison, out);
  return hasRegression(comparison) ? EXIT.failed : EXIT.ok;
}

function toleranceOf(text: string | undefined): number {
  const parsed = parseTolerance(text ?? DEFAULT_TOLERANCE);
  if (!parsed.ok) throw new UsageError(parsed.message);
  return parsed.value;
}

function formatOf(text: string | undefined): CompareFormat {
  const format = text ?? 'table';
  if ((FORMATS as readonly string[]).includes(format)) return format as CompareFormat;
  throw new UsageError(`--format ${JSON.stringify(format)}: unknown format; use one of ${FORMATS.join(', ')}`);
}

/** Both results, or a UsageError naming every file that is missing or invalid (not just the first). */
async function readBoth(baseline: string, current: string): Promise<[Result, Result]> {
  const [before, after] = await Promise.all([readResultFile(baseline), readResultFile(current)]);
  if (before.ok && after.ok) return [before.result, after.result];
  const messages = [before, after].flatMap((loaded) => (loaded.ok ? [] : [loaded.message]));
  throw new UsageError(messages.join('\n'));
}

function show(comparison: Comparison, format: CompareFormat, out: Output): void {
  if (format === 'md' || format === 'json') {
    out.data((format === 'md' ? markdownText(comparison) : jsonText(comparison)).trimEnd());
    out.error(`push-bench compare: ${headline(comparison)}`);
  } else {
    out.error(tableText(comparison).trimEnd());
  }
}

/**
 * GitHub Actions shows the file named by $GITHUB_STEP_SUMMARY on the run's page. Appended,
 * not written, as earlier steps may have added their own sections. A summary that cannot
 * be written is reported but does not change the verdict: the comparison itself succeeded.
 */
async function appendJobSummary(comparison: Comparison, out: Output): Promise<void> {
  const path = process.env['GITHUB_STEP_SUMMARY'];
  if (!path) return;
  try {
    await appendFile(path, `${markdownText(comparison)}\n`);
  } catch (error) {
    out.error(`push-bench compare: warning: could not append to GITHUB_STEP_SUMMARY (${path}): ${reasonOf(error)}`);
  }
}
