import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Result } from './model.js';
import { exporters, getExporter, type Exporter } from './registry.js';

/**
 * Writes `text` to `path` so that a reader (or a crash) sees either the old file or the
 * whole new one, never half of it: write a temporary file beside it, flush it to disk,
 * then rename over the target (atomic within one file system).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not `mkdir(dir, {recursive:
 * true})`: on Node 20 that never returns for a path under /proc, and a benchmark must not
 * hang on a mistyped --out.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const absolute = resolve(dir);
  const missing: string[] = [];
  for (let at = absolute; ; at = dirname(at)) {
    const found = await stat(at).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing) await mkdir(at).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
}

/** Creates `dir` if needed and checks that files can be written in it (before a run, not after). */
export async function prepareWritableDirectory(dir: string): Promise<void> {
  await makeDirectory(dir);
  await access(dir, constants.W_OK);
}

/**
 * Writes `result.json` (always: the single source) and `result.<ext>` (`report.html`) for every other
 * format asked for, each atomically, into `dir` (created if needed). Unknown format names
 * are rejected before anything is written. Returns the paths written, result.json first.
 */
export async function writeResultFiles(dir: string, result: Result, formats: readonly string[] = []): Promise<string[]> {
  const derived = uniqueExporters(formats).filter((exporter) => exporter !== exporters.json);
  await makeDirectory(dir);
  const written: string[] = [];
  for (const exporter of [exporters.json, ...derived]) {
    const path = join(dir, fileNameOf(exporter));
    await writeFileAtomic(path, exporter.serialize(result));
    written.push(path);
  }
  return written;
}

/** The file an exporter writes beside result.json, e.g. `result.csv`, `report.html`. */
export function fileNameOf(exporter: Exporter): string {
  return `${exporter.baseName ?? 'result'}.${exporter.extension}`;
}

function uniqueExporters(formats: readonly string[]): Exporter[] {
  return [...new Set(formats.map(getExporter))];
}
