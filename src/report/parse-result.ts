/**
 * Checking a saved result.json, for every command that takes one (`report`, `compare`): one
 * set of messages that name the file and its first problems, since a result is often a file
 * fetched by CI, where "invalid input" without the file and the field is no help. Pure: the
 * reading is src/io/result-files.ts's.
 */
import type { z } from 'zod';
import { packageInfo } from '../tool/package-info.js';
import { ResultSchema, type Result } from './model.js';

export type LoadedResult = { ok: true; result: Result } | { ok: false; message: string };

/** The versions of result.json this build reads (the schema's literal). */
const READABLE_SCHEMA_VERSIONS: readonly number[] = [...ResultSchema.shape.schemaVersion.values];

/** How many schema problems to list before "… and N more". */
const PROBLEMS_SHOWN = 5;

/** Parses text read from `file` as JSON and checks it as a result. */
export function parseResultText(file: string, text: string): LoadedResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return checkResult(file, data);
}

/** Checks parsed JSON as a result this build reads. */
function checkResult(file: string, data: unknown): LoadedResult {
  const versionProblem = schemaVersionProblem(file, data);
  if (versionProblem) return { ok: false, message: versionProblem };
  const parsed = ResultSchema.safeParse(data);
  if (parsed.success) return { ok: true, result: parsed.data };
  return { ok: false, message: `${file} is not a valid push-bench result:\n${problemLines(parsed.error.issues)}` };
}

/** A result of another version gets its own message: its field problems would only mislead. */
function schemaVersionProblem(file: string, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `${file} is not a push-bench result (not a JSON object); pass the result.json that push-bench run wrote`;
  }
  if (!('schemaVersion' in data)) return `${file} is not a push-bench result (it has no schemaVersion); pass the result.json that push-bench run wrote`;
  const version = data.schemaVersion;
  if (typeof version === 'number' && READABLE_SCHEMA_VERSIONS.includes(version)) return undefined;
  return `${file} has schemaVersion ${JSON.stringify(version)}; push-bench ${packageInfo.version} reads schemaVersion ${READABLE_SCHEMA_VERSIONS.join(', ')} only; use the push-bench version that wrote it, or re-run with this one`;
}

function problemLines(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, PROBLEMS_SHOWN).map((issue) => `  ${fieldPath(issue.path)}: ${issue.message}`);
  if (issues.length > PROBLEMS_SHOWN) lines.push(`  … and ${issues.length - PROBLEMS_SHOWN} more`);
  return lines.join('\n');
}

/** ["transports", 0, "latencyMs"] → "transports[0].latencyMs"; the whole document → "(top level)". */
export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('');
}
