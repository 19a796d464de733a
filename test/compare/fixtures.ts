import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareResults, type Comparison } from '../../src/compare/compare.js';
import { parseResult, type Result } from '../../src/report/model.js';

/** Path of a frozen result in test/compare/fixtures (see make-fixtures.mjs for how each was made). */
export function fixturePath(name: string): string {
  return join(import.meta.dirname, 'fixtures', `${name}.json`);
}

export function loadResult(name: string): Result {
  return parseResult(JSON.parse(readFileSync(fixturePath(name), 'utf8')));
}

/** Compares two fixtures by name, at 10 % unless told. */
export function comparePair(baseline: string, current: string, tolerance = 0.1): Comparison {
  return compareResults({ name: `${baseline}.json`, result: loadResult(baseline) }, { name: `${current}.json`, result: loadResult(current) }, { tolerance });
}

/** "transport figure-id" of every figure with the verdict, for short assertions. */
export function verdicts(comparison: Comparison, verdict: string): string[] {
  return comparison.figures.filter((row) => row.judgement.verdict === verdict).map((row) => `${row.transport} ${row.figure.id}`);
}
