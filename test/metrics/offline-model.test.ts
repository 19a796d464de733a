import { describe, expect, it } from 'vitest';
import { meanLatencyWithOfflineMs, withOfflineTime } from '../../src/metrics/model.js';
import { offlineEpisodes } from '../../src/runner/offline-schedule.js';

/** The mean wait for the return (plus the return path) over the very episodes the clients follow. */
function simulatedMeanMs(everyMs: number, forMs: number, window: { startMs: number; endMs: number }, onlineMs: number, returnMs: number): number {
  let total = 0;
  let samples = 0;
  for (let client = 0; client < 4_000; client++) {
    const episodes = offlineEpisodes({ everyMs, forMs, how: 'close' }, 9, client, window.endMs);
    for (let k = 0; k < 20; k++) {
      const tMs = window.startMs + ((k + 0.5) / 20) * (window.endMs - window.startMs);
      const tNs = tMs * 1e6;
      let latency = onlineMs;
      for (let i = 0; i < episodes.length; i += 2) {
        if (episodes[i]! <= tNs && tNs < episodes[i + 1]!) latency = (episodes[i + 1]! - tNs) / 1e6 + returnMs;
      }
      total += latency;
      samples++;
    }
  }
  return total / samples;
}

describe('the offline part of the latency model', () => {
  it.each([
    { everyMs: 4_000, forMs: 1_000, window: { startMs: 1_000, endMs: 7_000 } },
    { everyMs: 90_000, forMs: 10_000, window: { startMs: 3_000, endMs: 33_000 } },
    { everyMs: 10_000, forMs: 10_000, window: { startMs: 20_000, endMs: 80_000 } },
  ])('agrees with the seeded offline schedule itself: every $everyMs ms, for $forMs ms', ({ everyMs, forMs, window }) => {
    const model = meanLatencyWithOfflineMs(40, { everyMs, forMs }, window, 70);
    const simulated = simulatedMeanMs(everyMs, forMs, window, 40, 70);
    expect(model / simulated).toBeGreaterThan(0.93);
    expect(model / simulated).toBeLessThan(1.07);
  });

  it('leaves a model alone when clients never go offline, and gives push on loopback one when they do', () => {
    const base = { meanLatencyMs: 12, emptyFraction: 0.5, requestsPerDelivery: 2, bytesPerDelivery: 400 };
    const workload = { offline: null, warmupMs: 1_000, durationMs: 10_000, link: null, payloadBytes: 100 };
    expect(withOfflineTime(base, workload)).toBe(base);
    expect(withOfflineTime(null, workload)).toBeNull();
    const offline = withOfflineTime(null, { ...workload, offline: { everyMs: 5_000, forMs: 1_000 } });
    expect(offline?.meanLatencyMs).toBeGreaterThan(50);
    expect(offline?.requestsPerDelivery).toBeNull();
    // Each return connects again: the bytes of a held connection are no model of that.
    expect(withOfflineTime(base, { ...workload, offline: { everyMs: 5_000, forMs: 1_000 } })?.bytesPerDelivery).toBeNull();
  });
});
