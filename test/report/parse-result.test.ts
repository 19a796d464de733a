import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText, type LoadedResult } from '../../src/report/parse-result.js';
import { fixturePath } from '../compare/fixtures.js';

const text = (name: string) => readFileSync(fixturePath(name), 'utf8');

/** The message of a refused result; a result that was accepted fails the test. */
function refusal(loaded: LoadedResult): string {
  if (loaded.ok) throw new Error('expected the result to be refused');
  return loaded.message;
}

describe('checking a saved result', () => {
  it('accepts a schema-v1 result', () => {
    expect(parseResultText('baseline.json', text('baseline')).ok).toBe(true);
  });

  it('refuses another schemaVersion, saying which one it reads', () => {
    expect(refusal(parseResultText('old.json', text('schema-v2')))).toMatch(
      /^old\.json has schemaVersion 2; push-bench \d+\.\d+\.\d+ reads schemaVersion 1 only/,
    );
  });

  it('refuses JSON that is not a result at all', () => {
    expect(refusal(parseResultText('x.json', '[1, 2]'))).toContain('x.json is not a push-bench result (not a JSON object)');
  });

  it('names the file and the first problems of an invalid result', () => {
    const loaded = parseResultText('bad.json', text('invalid'));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.message.split('\n')).toEqual([
      'bad.json is not a valid push-bench result:',
      expect.stringMatching(/^ {2}environment: /),
      expect.stringMatching(/^ {2}transports\[0\]\.latencyMs\.p99: /),
    ]);
  });

  it('stops listing after 5 problems', () => {
    const loaded = parseResultText('bad.json', '{"schemaVersion": 1}');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toMatch(/\n {2}… and \d+ more$/);
  });

  it('names broken JSON', () => {
    expect(refusal(parseResultText('cut.json', '{"schemaVersion": 1,'))).toMatch(/^cut\.json is not JSON: /);
  });
});
