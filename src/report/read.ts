import { readFile } from 'node:fs/promises';
import { parseResult, type Result } from './model.js';

/**
 * Reads and validates a saved result.json (for `report` and `compare`). Throws a
 * SyntaxError for broken JSON and a ZodError listing every field that does not match
 * schema version 1.
 */
export async function readResultFile(path: string): Promise<Result> {
  return parseResult(JSON.parse(await readFile(path, 'utf8')));
}
