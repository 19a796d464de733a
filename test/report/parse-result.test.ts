import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText } from '../../src/report/parse-result.js';
import { fixturePath } from '../compare/fixtures.js';

const text = (name: string) => readFileSync(fixturePath(name), 'utf8');

describe('checking a saved result', () => {
  it('accepts a schema-v1 result', () => {
    expect(parseResultText('baseline.json', text('baseline')).ok).toBe(true);
  });

  it('refuses another schemaVersion, saying which one it reads', () => {
    const loaded = parseResultText('old.json', text('schema-v2'));
    expect(loaded).toEqual({
      ok: false,
      message: expect.stringMatching(/^old\.json has schemaVersion 2; push-bench \d+\.\d+\.\d+ reads schemaVersion 1 only/),
    });
  });

  it('refuses JSON that is not a result at all', () => {
    expect(parseResultText('x.json', '[1, 2]')).toEqual({
      ok: false,
      message: expect.stringContaining('x.json is not a push-bench result (not a JSON object)'),
    });
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
    expect(parseResultText('cut.json', '{"schemaVersion": 1,')).toEqual({ ok: false, message: expect.stringMatching(/^cut\.json is not JSON: /) });
  });
});
