import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
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
 * Writes `result.json` (always: the single source) and `result.<ext>` (`report.html`) for every other
 * format asked for, each atomically, into `dir` (created if needed). Unknown format names
 * are rejected before anything is written. Returns the paths written, result.json first.
 */
export async function writeResultFiles(dir: string, result: Result, formats: readonly string[] = []): Promise<string[]> {
  const derived = uniqueExporters(formats).filter((exporter) => exporter !== exporters.json);
  await mkdir(dir, { recursive: true });
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
