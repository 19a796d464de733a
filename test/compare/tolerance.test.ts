import { describe, expect, it } from 'vitest';
import { parseTolerance } from '../../src/compare/tolerance.js';

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
    expect(parseTolerance(given)).toEqual({
      ok: false,
      message: `--tolerance ${JSON.stringify(given)} is not a percentage; write a non-negative percentage, e.g. --tolerance 10%`,
    });
  });
});
