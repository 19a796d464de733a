import type { Result } from './model.js';

/** result.json: pretty-printed (2 spaces) with a final newline, so diffs and `git` stay readable. */
export function serialize(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** Several results as one JSON document: an array, in run order. */
export function serializeAll(results: readonly Result[]): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
