/**
 * Scenario file → validated Scenario, or every problem at once. Never throws for bad input:
 * whatever the text, the answer is a scenario or a list of located problems.
 */
import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import { applyOverrides, overrideFor, parseOverride, type Override } from './overrides.js';
import { byPosition, dotted, problemsFromIssues, sourceLocator, type Locator, type Problem } from './problems.js';
import { checkRules } from './rules.js';
import { toScenario, type Scenario } from './scenario.js';
import { scenarioSchemaFor } from './schema.js';
import { TRANSPORTS } from '../transports/catalog.js';
import type { AnyTransportModule } from '../transports/module.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

const defaultSchema = scenarioSchemaFor(TRANSPORTS);

export type LoadResult = { ok: true; scenario: Scenario; warnings: Problem[] } | { ok: false; errors: Problem[]; warnings: Problem[] };

/** Reads and validates one scenario file (`-`: standard input), with `--set` overrides applied. */
export async function loadScenarioFile(file: string, overrides: readonly string[] = []): Promise<LoadResult> {
  // `-` is standard input, as for most tools that read a file: `… | push-bench validate -`.
  if (file === '-') return loadScenarioText(await streamText(process.stdin), '<stdin>', overrides);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return failed([
      { severity: 'error', file, path: '', message: `cannot read the scenario (${reason}); give the path of a .yaml file, e.g. scenarios/notifications.yaml` },
    ]);
  }
  return loadScenarioText(text, file, overrides);
}

/** Validates scenario text; `file` only names it in messages. */
export function loadScenarioText(
  text: string,
  file: string,
  rawOverrides: readonly string[] = [],
  catalog: readonly AnyTransportModule[] = TRANSPORTS,
): LoadResult {
  const parsed = parseYaml(text);
  if (!parsed.ok)
    return failed(parsed.problems.map((p) => ({ severity: 'error', file, position: { line: p.line, col: p.col }, path: '', message: p.message })));

  const overrides: Override[] = [];
  const overrideProblems: Problem[] = [];
  for (const raw of rawOverrides) {
    const result = parseOverride(raw);
    if (result.ok) overrides.push(result.override);
    else overrideProblems.push({ severity: 'error', file, override: raw, path: '', message: result.message });
  }
  if (overrideProblems.length > 0) return failed(overrideProblems);

  const data = parsed.data;
  if (data === null || data === undefined) {
    return failed([
      {
        severity: 'error',
        file,
        position: { line: 1, col: 1 },
        path: '',
        message: 'the file is empty; a scenario needs at least "name:", e.g. name: notifications (see docs/scenarios.md)',
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return failed([
      {
        severity: 'error',
        file,
        position: { line: 1, col: 1 },
        path: '',
        message: `the file holds ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}, not a scenario mapping; start with e.g. name: notifications`,
      },
    ]);
  }
  const at = locatorWithOverrides(parsed.source, overrides);
  const blocked = applyOverrides(data as Record<string, unknown>, overrides);
  if (blocked.length > 0) {
    return failed(blocked.map(({ override, message }) => ({ severity: 'error', file, override: override.raw, path: override.path.join('.'), message })));
  }

  const validated = (catalog === TRANSPORTS ? defaultSchema : scenarioSchemaFor(catalog)).safeParse(data);
  if (!validated.success) return failed(problemsFromIssues(file, validated.error.issues, at));

  const scenario = toScenario(validated.data, catalog);
  const findings = checkRules(validated.data, scenario, catalog).map((finding): Problem => ({
    severity: finding.severity,
    file,
    ...at(finding.path),
    path: dotted(finding.path),
    message: finding.message,
  }));
  const errors = findings.filter((f) => f.severity === 'error').sort(byPosition);
  const warnings = findings.filter((f) => f.severity === 'warning').sort(byPosition);
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, scenario, warnings };
}

function failed(errors: Problem[]): LoadResult {
  return { ok: false, errors: [...errors].sort(byPosition), warnings: [] };
}

/** Values that came from `--set` are reported against the override, the rest against the file. */
function locatorWithOverrides(source: YamlSource, overrides: readonly Override[]): Locator {
  const inFile = sourceLocator(source);
  return (path, options) => {
    const override = overrideFor(path, overrides);
    return override ? { override: override.raw } : inFile(path, options);
  };
}
