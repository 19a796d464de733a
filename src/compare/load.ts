/**
 * Checks parsed JSON as a result `compare` can read (pure), with messages that name the file
 * and its first problems: a comparison is often run on a file fetched by CI, and "invalid
 * input" without the file and the field is no help there.
 */
import { ResultSchema, type Result } from '../report/model.js';

/** The result schema version this build reads. */
export const SUPPORTED_SCHEMA_VERSION = 1;

/** How many schema problems to list before "and N more". */
const MAX_PROBLEMS = 5;

export type LoadedResult = { ok: true; result: Result } | { ok: false; message: string };

function schemaVersionOf(data: unknown): unknown {
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>)['schemaVersion'] : undefined;
}

function versionProblem(file: string, version: unknown): string | null {
  if (version === SUPPORTED_SCHEMA_VERSION) return null;
  if (version === undefined) {
    return `${file}: not a push-bench result (it has no schemaVersion); pass the result.json that push-bench run wrote`;
  }
  return `${file}: schemaVersion ${JSON.stringify(version)} is not supported; this push-bench reads schemaVersion ${SUPPORTED_SCHEMA_VERSION}. Compare results written by push-bench versions with the same schema, e.g. re-run the baseline with this version`;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.');
}

/** Validates parsed JSON read from `file` as a schema-v1 result. */
export function checkResult(file: string, data: unknown): LoadedResult {
  const problem = versionProblem(file, schemaVersionOf(data));
  if (problem) return { ok: false, message: problem };
  const parsed = ResultSchema.safeParse(data);
  if (parsed.success) return { ok: true, result: parsed.data };
  const issues = parsed.error.issues;
  const listed = issues.slice(0, MAX_PROBLEMS).map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
  const more = issues.length > MAX_PROBLEMS ? [`  and ${issues.length - MAX_PROBLEMS} more`] : [];
  return { ok: false, message: [`${file}: not a valid push-bench result:`, ...listed, ...more].join('\n') };
}

/** Parses the text of `file` as JSON and checks it as a result. */
export function parseResultText(file: string, text: string): LoadedResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return checkResult(file, data);
}
