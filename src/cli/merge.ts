/**
 * `push-bench merge <part.json...>`: the partial results of a run's segments (run --segment I/N)
 * as one result, written with the same exports a run writes.
 */
import { join } from 'node:path';
import { readResultFile, writeResultFiles } from '../io/result-files.js';
import { scenarioName } from '../report/header.js';
import { mergeSegments, MergeRefused, type NamedPart } from '../report/merge-segments.js';
import { serialize as tableText } from '../report/table.js';
import { evaluateThresholds } from '../runner/thresholds.js';
import { parseThreshold } from '../scenario/thresholds.js';
import { EXIT, UsageError, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import { parseFormats } from './formats.js';

export interface MergeCommandOptions {
  out?: string;
  format?: string;
}

export async function mergeCommand(files: string[], options: MergeCommandOptions, out: Output): Promise<ExitCode> {
  const formats = parseFormats(options.format);
  const parts: NamedPart[] = [];
  for (const file of files) {
    const loaded = await readResultFile(file);
    if (!loaded.ok) throw new UsageError(loaded.message);
    parts.push({ file, result: loaded.result });
  }
  let merged;
  try {
    merged = mergeSegments(parts);
  } catch (error) {
    if (error instanceof MergeRefused) throw new UsageError(error.message);
    throw error;
  }
  merged.thresholds = evaluateThresholds(merged, thresholdsOf(merged.scenario));
  const dir = options.out ?? join('results', `${scenarioName(merged)}-merged-${new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '')}`);
  const written = await writeResultFiles(dir, merged, formats);
  for (const { path, reason } of written.failed) out.error(`push-bench: could not write ${path} (${reason})`);
  if (formats.includes('table')) out.error(tableText(merged));
  out.error(`push-bench: merged ${parts.length} segments → ${written.written.join(', ')}`);
  const broken = merged.thresholds.filter((t) => !t.ok);
  if (broken.length > 0) out.error(`push-bench: ${broken.length} threshold${broken.length > 1 ? 's' : ''} broken: ${broken.map((t) => t.expr).join('; ')}`);
  return written.failed.length > 0 || broken.length > 0 ? EXIT.failed : EXIT.ok;
}

/** The scenario's thresholds as run (their text in result.json), checked again on the merged figures. */
function thresholdsOf(scenario: Record<string, unknown>) {
  const texts = Array.isArray(scenario.thresholds) ? scenario.thresholds.filter((t): t is string => typeof t === 'string') : [];
  return texts.flatMap((text) => {
    const parsed = parseThreshold(text);
    return parsed.ok ? [parsed.threshold] : [];
  });
}
