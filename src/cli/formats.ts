/** `--format` of the commands that write a result's exports (run, merge). */
import { exporters } from '../report/registry.js';
import { UsageError } from './exit-codes.js';

/** `table` is the terminal table on stderr; the rest are files beside result.json. */
const FORMATS = Object.keys(exporters);
/** What a result is written as when no --format says otherwise. */
export const DEFAULT_FORMATS: readonly string[] = ['table', 'json', 'csv', 'md', 'html'];

/** A comma-separated list of exporter names; `defaults` when not given. */
export function parseFormats(text: string | undefined, defaults: readonly string[] = DEFAULT_FORMATS): string[] {
  if (text === undefined) return [...defaults];
  const formats = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = formats.filter((f) => !FORMATS.includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new UsageError(
      `--format ${JSON.stringify(text)}: unknown format ${unknown.map((f) => `"${f}"`).join(', ') || '(none given)'}; use a comma-separated list of ${FORMATS.join(', ')}`,
    );
  }
  return formats;
}
