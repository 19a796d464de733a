import { describe, expect, it } from 'vitest';
import { DelayLine } from '../../src/conditions/delay-line.js';
import { TokenBucket } from '../../src/conditions/token-bucket.js';
import { seededRandom } from '../../src/runner/random.js';

const unlimited = { bytesPerSecond: null, burstBytes: 1 };

describe('TokenBucket', () => {
  it('lets a burst go at once, then paces at the rate', () => {
    const bucket = new TokenBucket(1_000, 500, 0); // 1 kB/s, 500 B burst
    expect(bucket.take(500, 0)).toBe(0);
    expect(bucket.take(250, 0)).toBe(250); // 250 B more at 1 B/ms
    expect(bucket.take(250, 0)).toBe(500);
  });

  it('refills while idle, never beyond the burst', () => {
    const bucket = new TokenBucket(1_000, 500, 0);
    expect(bucket.take(500, 0)).toBe(0);
    expect(bucket.take(500, 10_000)).toBe(10_000); // refilled to 500, not 10,000
    expect(bucket.take(100, 10_000)).toBe(10_100);
  });

  it('sends a chunk larger than the burst at line rate', () => {
    expect(new TokenBucket(2_000, 100, 0).take(2_100, 0)).toBe(1_000);
  });

  it('refuses a rate or burst that means nothing', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow('bytesPerSecond must be above 0');
    expect(() => new TokenBucket(1, 0, 0)).toThrow('burstBytes must be at least 1');
  });
});

describe('DelayLine', () => {
  it('adds the one-way latency to every chunk', () => {
    const line = new DelayLine({ latencyMs: 50, jitterMs: 0, ...unlimited }, () => 0.5, 0);
    expect([line.arrival(100, 0), line.arrival(100, 7), line.arrival(1, 1_000)]).toEqual([50, 57, 1_050]);
  });

  it('keeps jitter within ±jitter of the latency, and never reorders a stream', () => {
    const line = new DelayLine({ latencyMs: 50, jitterMs: 10, ...unlimited }, seededRandom(3), 0);
    let previous = -Infinity;
    for (let readMs = 0; readMs < 2_000; readMs += 1) {
      const arrival = line.arrival(10, readMs);
      expect(arrival).toBeGreaterThanOrEqual(previous);
      expect(arrival - readMs).toBeGreaterThanOrEqual(40);
      expect(arrival - readMs).toBeLessThanOrEqual(60);
      previous = arrival;
    }
  });

  it('never delays below zero, whatever the jitter', () => {
    const line = new DelayLine({ latencyMs: 1, jitterMs: 10, ...unlimited }, () => 0, 0);
    expect(line.arrival(1, 100)).toBe(100);
  });

  it('adds transmission time at the bandwidth before the latency', () => {
    // 10 kB/s with a 1 kB burst: 1 kB goes at once, the next 5 kB take 500 ms, then 50 ms of travel.
    const line = new DelayLine({ latencyMs: 50, jitterMs: 0, bytesPerSecond: 10_000, burstBytes: 1_000 }, () => 0.5, 0);
    expect(line.arrival(1_000, 0)).toBe(50);
    expect(line.arrival(5_000, 0)).toBe(550);
  });

  it('refuses a negative latency or jitter', () => {
    expect(() => new DelayLine({ latencyMs: -1, jitterMs: 0, ...unlimited }, () => 0, 0)).toThrow('latencyMs must be at least 0');
    expect(() => new DelayLine({ latencyMs: 0, jitterMs: -1, ...unlimited }, () => 0, 0)).toThrow('jitterMs must be at least 0');
  });
});
