/** `push-bench report <result.json>`: re-renders a saved result in any export format. */
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Result } from '../report/model.js';
import { CSV_LAYOUTS } from '../report/csv.js';
import { UnknownNameError, getExporter, type Exporter } from '../report/registry.js';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { renderSweep } from '../sweep/render.js';
import { readSweep } from '../sweep/run-sweep.js';
import { makeDirectory } from '../io/directories.js';
import { reasonOf } from '../io/fs-errors.js';
import { fileNameOf, readResultFile } from '../io/result-files.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

export interface ReportCommandOptions {
  /** Export format name (the registry's: html, md, csv, json); html when absent. */
  format?: string;
  /** Output file, `-` for stdout; absent: beside the result file (stdout for the terminal table). */
  out?: string;
  csvLayout?: string;
}

/** The page is what `report` adds over the files `run` already wrote by default. */
const DEFAULT_FORMAT = 'html';

export async function reportCommand(file: string, options: ReportCommandOptions, out: Output): Promise<ExitCode> {
  if (await isSweepFile(file)) return reportSweep(file, options, out);
  const exporter = exporterFor(options.format ?? DEFAULT_FORMAT);
  const csvLayout = CSV_LAYOUTS.find((layout) => layout === (options.csvLayout ?? 'wide'));
  if (csvLayout === undefined) throw new UsageError(`--csv-layout ${JSON.stringify(options.csvLayout)}: use ${CSV_LAYOUTS.join(' or ')}`);
  const text = exporter.serialize(await readResultForCommand(file), { csvLayout });
  // The terminal table is read where it is printed, not saved beside the result.
  if (options.out === '-' || (options.out === undefined && exporter.terminal === true)) {
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

/** A sweep.json says so in its `kind`; anything else is read as a result. */
async function isSweepFile(file: string): Promise<boolean> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'push-bench-sweep';
  } catch {
    // Unreadable or not JSON: the result path says why, with the file named.
    return false;
  }
}

/** `report sweep.json`: sweep.html (default) or sweep.md again, e.g. after a resumed sweep or a newer push-bench. */
async function reportSweep(file: string, options: ReportCommandOptions, out: Output): Promise<ExitCode> {
  const format = options.format ?? DEFAULT_FORMAT;
  if (format !== 'html' && format !== 'md' && format !== 'csv') throw new UsageError(`--format ${JSON.stringify(format)}: a sweep renders as html, md or csv`);
  const loaded = await readSweep(file);
  if (!loaded.ok) throw new UsageError(loaded.message);
  const rendered = renderSweep(loaded.sweep);
  const text = format === 'html' ? rendered.html : format === 'md' ? rendered.markdown : rendered.csv;
  if (options.out === '-') {
    out.data(text.replace(/\n$/, ''));
    return EXIT.ok;
  }
  const base = basename(file, extname(file));
  const target = options.out ?? join(dirname(file), `${base}.${format}`);
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
    await makeDirectory(dirname(target));
    await writeFileAtomic(target, text);
  } catch (error) {
    throw new UsageError(`cannot write ${target}: ${reasonOf(error)}`);
  }
}

/** A saved result.json, or a UsageError naming the file and its first problems. */
async function readResultForCommand(file: string): Promise<Result> {
  const loaded = await readResultFile(file);
  if (!loaded.ok) throw new UsageError(loaded.message);
  return loaded.result;
}
