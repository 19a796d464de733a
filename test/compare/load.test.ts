import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResultText } from '../../src/compare/load.js';
import { parseTolerance } from '../../src/compare/tolerance.js';
import { fixturePath } from './fixtures.js';

const text = (name: string) => readFileSync(fixturePath(name), 'utf8');

describe('reading a result to compare', () => {
  it('accepts a schema-v1 result', () => {
    expect(parseResultText('baseline.json', text('baseline')).ok).toBe(true);
  });

  it('refuses another schemaVersion, saying which one it reads', () => {
    const loaded = parseResultText('old.json', text('schema-v2'));
    expect(loaded).toEqual({ ok: false, message: expect.stringMatching(/^old\.json: schemaVersion 2 is not supported; this push-bench reads schemaVersion 1\./) });
  });

  it('refuses JSON that is not a result at all', () => {
    expect(parseResultText('x.json', '[1, 2]')).toEqual({ ok: false, message: expect.stringContaining('x.json: not a push-bench result (it has no schemaVersion)') });
  });

  it('names the file and the first problems of an invalid result', () => {
    const loaded = parseResultText('bad.json', text('invalid'));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.message.split('\n')).toEqual([
      'bad.json: not a valid push-bench result:',
      expect.stringMatching(/^ {2}environment: /),
      expect.stringMatching(/^ {2}transports\.0\.latencyMs\.p99: /),
    ]);
  });

  it('stops listing after 5 problems', () => {
    const loaded = parseResultText('bad.json', '{"schemaVersion": 1}');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toMatch(/\n {2}and \d+ more$/);
  });

  it('names broken JSON', () => {
    expect(parseResultText('cut.json', '{"schemaVersion": 1,')).toEqual({ ok: false, message: expect.stringMatching(/^cut\.json: not valid JSON \(/) });
  });
});

describe('--tolerance', () => {
  it.each([
    ['10%', 0.1],
    ['0%', 0],
    ['2.5%', 0.025],
    [' 50 % ', 0.5],
  ])('%j is %d', (given, fraction) => {
    expect(parseTolerance(given)).toEqual({ ok: true, value: fraction });
  });

  it.each(['ten', '-5%', '10', '0.1', '%', ''])('refuses %j, naming the value and the fix', (given) => {
    expect(parseTolerance(given)).toEqual({ ok: false, message: `--tolerance ${JSON.stringify(given)} is not a percentage; write a non-negative percentage, e.g. --tolerance 10%` });
  });
});
