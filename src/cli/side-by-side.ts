/**
 * Side by side (`run --target ref,nchan+http://…`): the same scenario on several servers, each
 * server's result against the first's, as `push-bench compare` shows two results: on stderr,
 * and as Markdown in the other server's result folder.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareResults } from '../compare/compare.js';
import { serialize as markdownText } from '../compare/markdown.js';
import { serialize as tableText } from '../compare/table.js';
import { DEFAULT_TOLERANCE, parseTolerance } from '../compare/tolerance.js';
import type { Result } from '../report/model.js';
import type { Output } from './output.js';

export interface ServerRun {
  /** The server's short name (ref, nchan, target). */
  label: string;
  result: Result;
  /** Its result folder; null with --out -. */
  dir: string | null;
}

export async function showSideBySide(runs: readonly ServerRun[], out: Output): Promise<void> {
  const [first, ...others] = runs;
  if (!first) return;
  const tolerance = parseTolerance(DEFAULT_TOLERANCE);
  if (!tolerance.ok) throw new Error(tolerance.message);
  for (const other of others) {
    const comparison = compareResults(
      { name: first.label, label: first.label, result: first.result },
      { name: other.label, label: other.label, result: other.result },
      { tolerance: tolerance.value },
    );
    out.error(tableText(comparison));
    if (other.dir) {
      const path = join(other.dir, `compare-${first.label}.md`);
      await writeFile(path, markdownText(comparison));
      out.error(`push-bench: ${other.label} against ${first.label}: ${path}`);
    }
  }
}
