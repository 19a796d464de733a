/** bench:soak's verdict and chart: the parts that decide its exit code and what docs/benchmarks.md shows. */
import { describe, expect, it } from 'vitest';
import { clientSeries, flatness, median, serverSeries } from '../../bench/lib/flatness.js';
import { vmRssBytes } from '../../bench/lib/process-rss.js';
import type { RssSample, SampleStep } from '../../bench/lib/rss-sampler.js';
import { columnChart } from '../../bench/lib/text-chart.js';

const MB = 1e6;

/** One sample a second: `warmupS` of warm-up, then `values` (server MB) in the measured window. */
function samples(warmupS: number, values: number[]): RssSample[] {
  const at = (t: number, step: SampleStep, mb: number): RssSample => ({ t, step, serverBytes: mb * MB, clientBytes: 2 * mb * MB, clientProcesses: 2 });
  return [...Array.from({ length: warmupS }, (_, t) => at(t, 'warm-up', 10)), ...values.map((mb, i) => at(warmupS + i, 'measure', mb))];
}

describe('flatness', () => {
  it('compares the median of the window’s first minute with that of its last, ignoring the warm-up', () => {
    const window = [...Array<number>(60).fill(100), ...Array<number>(180).fill(103), ...Array<number>(60).fill(108)];
    const verdict = flatness(samples(30, window), serverSeries)!;
    expect(verdict).toMatchObject({ spanS: 60, firstBytes: 100 * MB, lastBytes: 108 * MB, flat: true });
    expect(verdict.ratio).toBeCloseTo(1.08);
    expect(flatness(samples(30, window), clientSeries)!.firstBytes).toBe(200 * MB);
  });

  it('fails a growth past 10 %, and shrinks its span for a short window', () => {
    const verdict = flatness(samples(5, [100, 100, 100, 115, 115, 115, 115]), serverSeries)!;
    expect(verdict.spanS).toBe(2);
    expect(verdict.ratio).toBeCloseTo(1.15);
    expect(verdict.flat).toBe(false);
  });

  it('is undefined with no measured window to judge', () => {
    expect(flatness(samples(10, []), serverSeries)).toBeUndefined();
  });

  it('takes a median that one garbage-collection spike does not move', () => {
    expect(median([100, 101, 400, 99])).toBe(100.5);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('VmRSS', () => {
  it('is read in kB from /proc/<pid>/status; a zombie has none', () => {
    expect(vmRssBytes('Name:\tnode\nVmPeak:\t 1 kB\nVmRSS:\t   51200 kB\nThreads:\t7\n')).toBe(51_200 * 1024);
    expect(vmRssBytes('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});

describe('the text chart', () => {
  it('draws from 0, so a flat series fills its columns to the top, and marks step changes under the axis', () => {
    const lines = columnChart([50, 50, 100, 100], { width: 4, height: 2, title: 'title', format: (v) => String(v), marks: [{ index: 2, letter: 'm' }] });
    expect(lines).toEqual(['title', '100 ┤  ██', '  0 ┤████', '    └──┴─', '       m']);
  });
});
