import type { Result } from './model.js';

/** result.json: pretty-printed (2 spaces) with a final newline, so diffs and `git` stay readable. */
export function serialize(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
