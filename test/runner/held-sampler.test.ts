/** What a broker held over a phase: its peak in the window, its value at the end, and no sampling taken for 0. */
import { describe, expect, it } from 'vitest';
import { HeldSampler } from '../../src/runner/held-sampler.js';

describe('HeldSampler', () => {
  it('takes the peak from the window only, the end from its own sampling, and leaves out samplings that could not tell', async () => {
    const answers: Array<number | null | Error> = [7, null, 3, new Error('broker gone'), null];
    const sampler = new HeldSampler(() => {
      const next = answers.shift();
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next ?? null);
    });
    await sampler.sampleNow(); // 7, before the window
    await new Promise((resolve) => setTimeout(resolve, 5));
    const startNs = process.hrtime.bigint();
    expect(await sampler.sampleNow()).toBeNull(); // could not tell: not 7, not 0
    expect(await sampler.sampleNow()).toBe(3);
    expect(await sampler.sampleNow()).toBeNull(); // failed
    const endNs = process.hrtime.bigint();
    const atEnd = await sampler.sampleNow(); // null at the end: null, not the 3 before it
    expect(atEnd).toBeNull();
    await sampler.stop();
    const summary = sampler.summary(startNs, endNs, atEnd);
    expect(summary.peak).toBe(3);
    expect(summary.atEnd).toBeNull();
    expect(summary.series.map((s) => s.messages)).toEqual([7, 3]);
    expect(summary.series[0]!.atMs).toBeLessThan(0);
    expect(summary.series[1]!.atMs).toBeGreaterThanOrEqual(0);
  });

  it('has no peak when nothing in the window could be read', async () => {
    const sampler = new HeldSampler(() => Promise.resolve(null));
    const startNs = process.hrtime.bigint();
    await sampler.sampleNow();
    await sampler.stop();
    expect(sampler.summary(startNs, process.hrtime.bigint(), null)).toEqual({ peak: null, atEnd: null, series: [] });
  });
});
