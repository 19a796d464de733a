/**
 * result.json and the files derived from it on disk: the only place results are read or
 * written, so that the report room stays pure (`serialize(result) → string`).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Result } from '../report/model.js';
import { parseResultText, type LoadedResult } from '../report/parse-result.js';
import { exporters, getExporter, type Exporter, type ExportOptions } from '../report/registry.js';
import { makeDirectory } from './directories.js';
import { reasonOf } from './fs-errors.js';

export interface WrittenFiles {
  /** Paths written, result.json first. */
  written: string[];
  /** Derived files that could not be written (a full disk, a folder in the way), with why. */
  failed: Array<{ path: string; reason: string }>;
}

/**
 * Writes `result.json` (always: the single source) and `result.<ext>` (`report.html`) for every other
 * format asked for into `dir` (created if needed). Each file is written atomically (a temporary
 * file beside it, flushed, then renamed over it), so a reader or a crash sees the old file or
 * the whole new one, never half of it. Unknown format names are rejected before anything is
 * written. A result.json that cannot be written throws; a derived file that cannot is reported
 * in `failed` and the others are still written: they can be re-rendered from result.json later.
 * Terminal formats (the table) are not files: they are left out.
 */
export async function writeResultFiles(dir: string, result: Result, formats: readonly string[] = [], options: ExportOptions = {}): Promise<WrittenFiles> {
  const derived = uniqueExporters(formats).filter((exporter) => exporter !== exporters.json && exporter.terminal !== true);
  await makeDirectory(dir);
  await removeStaleTemporaries(dir, [exporters.json, ...derived].map(fileNameOf));
  const json = join(dir, fileNameOf(exporters.json));
  await writeFileAtomic(json, exporters.json.serialize(result));
  const files: WrittenFiles = { written: [json], failed: [] };
  for (const exporter of derived) {
    const path = join(dir, fileNameOf(exporter));
    try {
      await writeFileAtomic(path, exporter.serialize(result, options));
      files.written.push(path);
    } catch (error) {
      files.failed.push({ path, reason: reasonOf(error) });
    }
  }
  return files;
}

/**
 * A write cut short by SIGKILL (or a power cut) leaves its temporary file behind: write-file-atomic
 * names it `<file>.<uint32>` and removes it itself on any other exit. Such leftovers of the files
 * about to be written are removed, so a folder never fills with them; anything else stays.
 */
async function removeStaleTemporaries(dir: string, names: readonly string[]): Promise<void> {
  const stale = (await readdir(dir)).filter((entry) => names.some((name) => entry.startsWith(`${name}.`) && /^\d{1,10}$/.test(entry.slice(name.length + 1))));
  await Promise.all(stale.map((entry) => rm(join(dir, entry), { force: true })));
}

/** The file an exporter writes beside result.json, e.g. `result.csv`, `report.html`. */
export function fileNameOf(exporter: Exporter): string {
  return `${exporter.baseName ?? 'result'}.${exporter.extension}`;
}

function uniqueExporters(formats: readonly string[]): Exporter[] {
  return [...new Set(formats.map(getExporter))];
}

/** Reads, parses and checks `file`; never throws. */
export async function readResultFile(file: string): Promise<LoadedResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const hint = (error as NodeJS.ErrnoException).code === 'EISDIR' ? '; name the result.json inside it' : '';
    return { ok: false, message: `cannot read ${file}: ${reasonOf(error)}${hint}` };
  }
  return parseResultText(file, text);
}
