import { describe, expect, it } from 'vitest';
import { StallWatch } from '../../src/runner/stall-watch.js';

describe('StallWatch', () => {
  it('counts gaps past the threshold per shard, announces each once, and counts a gap still open at the end', () => {
    let now = 0;
    const watch = new StallWatch(1_000, () => now);
    watch.watch(0);
    watch.watch(1);
    watch.heard(7); // not watched: ignored
    now = 500;
    watch.heard(0);
    watch.heard(1);
    now = 2_000;
    expect(watch.newlySilent()).toEqual([
      { shard: 0, silentMs: 1_500 },
      { shard: 1, silentMs: 1_500 },
    ]);
    expect(watch.newlySilent()).toEqual([]);
    now = 3_500;
    watch.heard(0); // a 3 s gap closes
    now = 4_000;
    watch.heard(0);
    watch.unwatch(1); // open since 500: 3.5 s
    expect(Object.fromEntries(watch.report())).toEqual({ 0: { count: 1, longestMs: 3_000 }, 1: { count: 1, longestMs: 3_500 } });
    now = 4_500;
    watch.heard(0);
    expect(watch.report().get(0)).toEqual({ count: 1, longestMs: 3_000 });
  });
});
