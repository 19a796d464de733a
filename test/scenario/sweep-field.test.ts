import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

const BASE = 'name: s\nduration: 2s\nclients: { count: 10 }\nevents: { rate: 1/s }\ntransports: { sse: {} }\n';

function load(sweep: string) {
  return loadScenarioText(`${BASE}sweep:\n${sweep}`, 's.yaml');
}

describe("the scenario's sweep: section", () => {
  it('lists and ranges become --vary texts; budget and minimise are kept', () => {
    const loaded = load(
      '  vary:\n    events.rate: [1/m, 10/m, 1/s]\n    clients.count: "100..1000 +300"\n  budget: latency.p99 < 2s\n  minimise: bytes.perDelivery\n',
    );
    expect(loaded.ok ? loaded.scenario.sweep : loaded.errors).toEqual({
      vary: ['events.rate=1/m,10/m,1/s', 'clients.count=100..1000 +300'],
      budget: 'latency.p99 < 2s',
      minimise: 'bytes.perDelivery',
    });
  });

  it('a scenario without one has none', () => {
    const loaded = loadScenarioText(BASE, 's.yaml');
    expect(loaded.ok && loaded.scenario.sweep).toBeNull();
  });

  it.each([
    ['  vary:\n    events.rate: "1/s..100/m x10"\n', 's.yaml:8:18 sweep.vary.events.rate:', 'different units'],
    ['  vary: {}\n', 's.yaml:7:9 sweep.vary:', 'names 0 parameters'],
    ['  vary:\n    events.rate: [1/s]\n  budget: latency.p99 < 2s\n', 's.yaml:', 'budget and minimise go together'],
    ['  vary:\n    events.rate: [1/s]\n  budget: latency.p99 < 2s\n  minimise: bytes\n', 'sweep.minimise:', '"bytes" is not a figure'],
    ['  vary:\n    events.rate: [1/s]\n  spread: 1\n', 's.yaml:9:3 sweep.spread:', 'unknown key "spread"'],
  ])('refuses %j, located', (sweep, where, message) => {
    const loaded = load(sweep);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    const text = loaded.errors.map(formatProblem).join('\n');
    expect(text).toContain(where);
    expect(text).toContain(message);
  });
});
