/** After --repeat, every rendering shows each median with its range and its mean's confidence interval, and says so once. */
import { describe, expect, it } from 'vitest';
import { figureRows } from '../../src/report/figures.js';
import { serialize as markdown } from '../../src/report/markdown.js';
import { serialize as table } from '../../src/report/table.js';
import { combineRepeats } from '../../src/runner/repeats.js';
import type { Result } from '../../src/report/model.js';
import { loadFixture } from './fixture.js';

/** The fixture run `count` times, its polling latency p50 shifted by 10 ms per repeat. */
function repeated(count: number): Result {
  const base = loadFixture();
  const runs = Array.from({ length: count }, (_, i) => {
    const transports = structuredClone(base.transports);
    transports[0]!.latencyMs.p50 = 100 + 10 * i;
    return { ...base, transports };
  });
  const finished = runs.slice(0, -1).map((run) => ({ startedAt: run.startedAt, transports: run.transports }));
  return combineRepeats(finished, runs.at(-1)!, () => []);
}

const p50Cell = (result: Result) => figureRows(result.transports).find((row) => row.id === 'latency.p50')!.cells[0];

describe('cells after --repeat', () => {
  it('3 repeats: median (min–max; CI low–high)', () => {
    // 100, 110, 120: mean 110, s = 10, t(0.975, 2) = 4.303 → half-width 24.8.
    expect(p50Cell(repeated(3))).toBe('110 (100–120; CI 85.2–135)');
  });

  it('2 repeats: no CI yet, only the range', () => {
    expect(p50Cell(repeated(2))).toBe('100 (100–110)');
  });

  it('a figure every repeat agrees on: the value alone', () => {
    const row = figureRows(repeated(3).transports).find((r) => r.id === 'events.published')!;
    expect(row.cells[0]).toBe('1,500');
  });

  it('the table and the Markdown say what the numbers are, once', () => {
    for (const text of [table(repeated(3)), markdown(repeated(3))]) {
      expect(text).toContain('3 repeats: each figure is their median, with (min–max; CI low–high), the 95 % confidence interval of the mean');
    }
    expect(table(loadFixture())).not.toContain('repeats:');
  });
});
