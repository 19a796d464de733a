import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findKnee, type KneeSearch, type ProbeOutcome } from '../../src/sweep/knee.js';

const COUNT: KneeSearch = { start: 100, integer: true, precision: 1.1, maxSteps: 20, minimum: 1 };

/** A condition that holds up to `knee`, and a machine that cannot run above `limit`. */
function world(knee: number, limit = Infinity) {
  const tried: number[] = [];
  const probe = (value: number): Promise<ProbeOutcome> => {
    tried.push(value);
    if (value > limit) return Promise.resolve({ kind: 'limit', reason: `over ${limit}` });
    return Promise.resolve({ kind: value <= knee ? 'held' : 'broke', figure: value });
  };
  return { tried, probe };
}

describe('finding the knee', () => {
  it('doubles while it holds, then bisects to within 10 %', async () => {
    const { tried, probe } = world(1500);
    const knee = await findKnee(COUNT, probe);
    expect(tried.slice(0, 6)).toEqual([100, 200, 400, 800, 1600, Math.round(Math.sqrt(800 * 1600))]);
    expect(knee.held).toBeLessThanOrEqual(1500);
    expect(knee.broke).toBeGreaterThan(1500);
    expect(knee.broke! / knee.held!).toBeLessThanOrEqual(1.1);
    expect(knee.stoppedBy).toBe('condition');
    expect(knee.steps.map((s) => s.value)).toEqual(tried);
  });

  it('stops at the machine, and says so', async () => {
    const knee = await findKnee(COUNT, world(100_000, 1000).probe);
    expect(knee.stoppedBy).toBe('machine');
    expect(knee.held).toBeLessThanOrEqual(1000);
    expect(knee.broke).toBeGreaterThan(1000);
  });

  it('searches down when the start already breaks; none holds → held null', async () => {
    const down = await findKnee(COUNT, world(30).probe);
    expect(down.steps[0]).toMatchObject({ value: 100, outcome: { kind: 'broke' } });
    expect(down.held).toBeLessThanOrEqual(30);
    expect(down.broke).toBeGreaterThan(30);
    const none = await findKnee(COUNT, world(0).probe);
    expect(none).toMatchObject({ held: null, stoppedBy: 'condition' });
  });

  it('never runs more probes than allowed', async () => {
    const knee = await findKnee({ ...COUNT, maxSteps: 4 }, world(1_000_000).probe);
    expect(knee.steps).toHaveLength(4);
    expect(knee).toMatchObject({ held: 800, broke: null, stoppedBy: 'steps' });
  });

  it('any knee and limit: the bracket holds the truth, within the precision or adjacent whole numbers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 2, max: 400_000 }), async (truth, limit) => {
        const knee = await findKnee({ ...COUNT, maxSteps: 60 }, world(truth, limit).probe);
        const boundary = Math.min(truth, limit);
        if (knee.held !== null) expect(knee.held).toBeLessThanOrEqual(boundary);
        expect(knee.broke).toBeGreaterThan(boundary);
        if (knee.held !== null && knee.stoppedBy !== 'steps') expect(knee.broke! / knee.held <= 1.1 || knee.broke! - knee.held <= 1).toBe(true);
        // The reason is the one the broken end got: the machine's refusal where it was above the limit, the condition otherwise.
        expect(knee.stoppedBy).toBe(knee.broke! > limit ? 'machine' : 'condition');
      }),
      { numRuns: 200 },
    );
  });

  it('a rate: not rounded to whole numbers', async () => {
    const knee = await findKnee({ start: 1, integer: false, precision: 1.05, maxSteps: 30, minimum: 0.001 }, world(37.5).probe);
    expect(knee.held).toBeLessThanOrEqual(37.5);
    expect(knee.broke! / knee.held!).toBeLessThanOrEqual(1.05);
  });
});
