import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGrid, expandGrid } from '../../src/sweep/grid.js';
import { MAX_VALUES_PER_AXIS, parseVary, type Vary } from '../../src/scenario/vary.js';

function vary(raw: string): Vary {
  const parsed = parseVary(raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.vary;
}

const values = (raw: string) => vary(raw).values;

describe('--vary values', () => {
  it('a list, as --set would take each value', () => {
    expect(vary('events.rate=1/m, 10/m,1/s')).toEqual({ raw: 'events.rate=1/m, 10/m,1/s', path: 'events.rate', values: ['1/m', '10/m', '1/s'] });
    expect(values('transports.polling.interval=1s,5s,30s')).toEqual(['1s', '5s', '30s']);
  });

  it('log steps: FROM..TO xFACTOR, keeping the unit, the end included when reached', () => {
    expect(values('events.rate=1/s..100/s x10')).toEqual(['1/s', '10/s', '100/s']);
    expect(values('clients.count=100..1000 x2')).toEqual(['100', '200', '400', '800']);
    expect(values('events.rate=0.1/s..10/s x10')).toEqual(['0.1/s', '1/s', '10/s']);
  });

  it('linear steps: FROM..TO +STEP', () => {
    expect(values('clients.count=100..1000 +300')).toEqual(['100', '400', '700', '1000']);
    expect(values('transports.polling.interval=0.5s..2s +0.5')).toEqual(['0.5s', '1s', '1.5s', '2s']);
  });

  it.each([
    ['events.rate', 'is not path=values'],
    ['events.rate=', 'gives events.rate no values'],
    ['9lives=1,2', 'is not path=values'],
    ['events.rate=1/s,,2/s', 'an empty value'],
    ['events.rate=1/s,1/s', 'lists 1/s twice'],
    ['events.rate=1/s..100/m x10', 'different units'],
    ['events.rate=100/s..1/s x10', 'must go up'],
    ['events.rate=1/s..100/s x1', 'factor of "1/s..100/s x1" must be above 1'],
    ['clients.count=0..100 x2', 'starts at 0'],
    ['clients.count=1..100 +0', 'must be above 0'],
    ['clients.count=1..100', 'is not a range'],
    ['clients.count=1..100000 +1', `at most ${MAX_VALUES_PER_AXIS} per parameter`],
  ])('%s is refused: %s', (raw, message) => {
    const parsed = parseVary(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });

  it('a log range never passes its end and grows by its factor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 1, max: 6 }), (from, factor, steps) => {
        const to = from * factor ** steps;
        const got = values(`clients.count=${from}..${to} x${factor}`).map(Number);
        expect(got).toHaveLength(steps + 1);
        expect(got.at(-1)).toBe(to);
        for (let i = 1; i < got.length; i++) expect(got[i]! / got[i - 1]!).toBeCloseTo(factor, 9);
      }),
    );
  });
});

describe('the grid', () => {
  it('one parameter: a line of points', () => {
    const points = expandGrid([vary('events.rate=1/s,10/s')]);
    expect(points.map((p) => p.key)).toEqual(['events.rate=1/s', 'events.rate=10/s']);
  });

  it('two parameters: every combination, the first changing fastest', () => {
    const points = expandGrid([vary('events.rate=1/s,10/s,100/s'), vary('clients.count=10,20')]);
    expect(points.map((p) => p.values)).toEqual([
      ['1/s', '10'],
      ['10/s', '10'],
      ['100/s', '10'],
      ['1/s', '20'],
      ['10/s', '20'],
      ['100/s', '20'],
    ]);
    expect(points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(points[4]!.overrides).toEqual(['events.rate=10/s', 'clients.count=20']);
  });
});

const SCENARIO =
  'name: s\nduration: 2s\nwarmup: 0s\nclients: { count: 10, rampUp: 0s }\nevents: { rate: 1/s, audience: all }\ntransports: { polling: { interval: 1s }, sse: {} }\n';

describe('checking every point before anything runs', () => {
  it('loads each point with its overrides', () => {
    const checked = checkGrid(SCENARIO, 's.yaml', [vary('events.rate=1/s,10/s'), vary('clients.count=10,20')], ['duration=3s']);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.points.map((p) => [p.scenario.clients.count, p.scenario.durationMs])).toEqual([
      [10, 3000],
      [10, 3000],
      [20, 3000],
      [20, 3000],
    ]);
  });

  it('names the --vary and the bad value, once however many points share it', () => {
    const checked = checkGrid(SCENARIO, 's.yaml', [vary('events.rate=1/s,fast'), vary('clients.count=10,20')], []);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toHaveLength(1);
    expect(checked.problems[0]).toMatch(/^s\.yaml \(--vary events\.rate, value fast\) events\.rate: /);
  });

  it('refuses a path that is not a scenario key, naming it', () => {
    const checked = checkGrid(SCENARIO, 's.yaml', [vary('events.rat=1/s,2/s')], []);
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.problems).toEqual([expect.stringMatching(/^s\.yaml \(--vary events\.rat\) events\.rat: unknown key "rat" \(did you mean "rate"\?\)/)]);
  });

  it.each([
    [[], [], 'at least one --vary'],
    [['events.rate=1/s', 'clients.count=1', 'duration=1s'], [], '3 --vary parameters'],
    [['events.rate=1/s', 'events.rate=2/s'], [], 'names events.rate twice'],
    [['events.rate=1/s,2/s'], ['events.rate=5/s'], '--set events.rate=5/s fixes a parameter the sweep varies'],
  ])('refuses the axes %j with --set %j', (raws, sets, message) => {
    const checked = checkGrid(SCENARIO, 's.yaml', raws.map(vary), sets);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems[0]).toContain(message);
  });
});
