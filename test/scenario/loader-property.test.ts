import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadScenarioText } from '../../src/scenario/load.js';

function expectScenarioOrProblems(text: string, overrides: string[] = []): void {
  const result = loadScenarioText(text, 'arbitrary.yaml', overrides);
  if (result.ok) {
    expect(result.scenario.name).toBeTypeOf('string');
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
  }
}

describe('the loader never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => expectScenarioOrProblems(text)),
      { numRuns: 400 },
    );
  });

  it('on arbitrary YAML structures', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('2s', '50/s', '200B', '10%', 'all', 'one'),
    );
    const key = fc.constantFrom('name', 'duration', 'warmup', 'clients', 'count', 'events', 'rate', 'transports', 'polling', 'sse', 'thresholds', 'x');
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
    }));
    fc.assert(
      fc.property(tree, (value) => expectScenarioOrProblems(stringify(value))),
      { numRuns: 400 },
    );
  });

  it('on arbitrary overrides', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }), (overrides) => expectScenarioOrProblems('name: t\n', overrides)),
      { numRuns: 200 },
    );
  });
});
