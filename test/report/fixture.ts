import { readFileSync } from 'node:fs';
import type { Result } from '../../src/report/model.js';
import { parseResult } from '../../src/report/model.js';

/** The frozen result fixture: 4 transports, one (websocket) with nulls everywhere it can have them. */
export function loadFixture(): Result {
  const text = readFileSync(new URL('./fixtures/result.json', import.meta.url), 'utf8');
  return parseResult(JSON.parse(text));
}

/** A deep copy of the raw fixture, to break on purpose. */
export function rawFixture(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('./fixtures/result.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}
