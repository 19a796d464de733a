/** `push-bench report <result.json>`: re-renders a saved result in any export format. */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { ResultSchema, type Result } from '../report/model.js';
import { UnknownNameError, getExporter, type Exporter } from '../report/registry.js';
import { fileNameOf, writeFileAtomic } from '../report/write.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import { packageInfo } from './package-info.js';
import type { Output } from './output.js';

export interface ReportCommandOptions {
  /** Export format name (the registry's: html, md, csv, json); html when absent. */
  format?: string;
  /** Output file, `-` for stdout; absent: beside the result file. */
  out?: string;
}

/** The page is what `report` adds over the files `run` already wrote by default. */
const DEFAULT_FORMAT = 'html';

/** Schema problems listed before "… and N more": enough to fix, short enough to read. */
const PROBLEMS_SHOWN = 5;

export async function reportCommand(file: string, options: ReportCommandOptions, out: Output): Promise<ExitCode> {
  const exporter = exporterFor(options.format ?? DEFAULT_FORMAT);
  const text = exporter.serialize(await readResultForCommand(file));
  if (options.out === '-') {
    // Output.data adds the line end the text already has (CSV's "\r\n" keeps its "\r").
    out.data(text.replace(/\n$/, ''));
    return EXIT.ok;
  }
  const target = options.out ?? besideResult(file, exporter);
  if (resolve(target) === resolve(file)) {
    throw new UsageError(`writing ${target} would replace the result it is made from; give --out FILE, or --out - for stdout`);
  }
  await writeReport(target, text);
  out.error(`push-bench: wrote ${target}`);
  return EXIT.ok;
}

function exporterFor(format: string): Exporter {
  try {
    return getExporter(format);
  } catch (error) {
    if (error instanceof UnknownNameError) throw new UsageError(`--format: ${error.message}`);
    throw error;
  }
}

/**
 * results/run/result.json → results/run/result.html. The result's own base name is kept
 * (baseline.json → baseline.html), so rendering a renamed result never overwrites the
 * files another result in the same folder was rendered to.
 */
/**
 * Where a re-rendered format goes by default: beside the result, named as `run` names it
 * (result.md, report.html) for a result.json, and after the file otherwise (baseline.json →
 * baseline.md), so that re-rendering one run never overwrites another run's files.
 */
export function besideResult(file: string, exporter: Exporter): string {
  const base = basename(file, extname(file));
  return join(dirname(file), base === 'result' ? fileNameOf(exporter) : `${base}.${exporter.extension}`);
}

async function writeReport(target: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, text);
  } catch (error) {
    throw new UsageError(`cannot write ${target}: ${reasonOf(error)}`);
  }
}

/**
 * Reads a saved result.json for a command, turning every way it can be wrong (missing,
 * not JSON, another schema version, fields that do not match) into a UsageError that names
 * the file and the first problems.
 */
export async function readResultForCommand(file: string): Promise<Result> {
  const data = parseJson(file, await readText(file));
  checkSchemaVersion(file, data);
  const parsed = ResultSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${file} is not a valid push-bench result:\n${problemLines(parsed.error.issues)}`);
  return parsed.data;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${reasonOf(error)}`);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The versions of result.json this build reads (the schema's literal). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [...ResultSchema.shape.schemaVersion.values];

/** A result of another version gets its own message: its field problems would only mislead. */
function checkSchemaVersion(file: string, data: unknown): void {
  if (typeof data !== 'object' || data === null || !('schemaVersion' in data)) return;
  const version = data.schemaVersion;
  if (typeof version === 'number' && READABLE_SCHEMA_VERSIONS.includes(version)) return;
  throw new UsageError(
    `${file} has schemaVersion ${JSON.stringify(version)}; push-bench ${packageInfo.version} reads schemaVersion ${READABLE_SCHEMA_VERSIONS.join(', ')} only; render it with the push-bench version that wrote it`,
  );
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

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
};

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
