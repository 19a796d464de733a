import { describe, expect, it } from 'vitest';
import { episodeAt, OfflineRecorder } from '../../src/metrics/offline.js';
import { summarizeEncoded } from '../../src/metrics/histogram.js';
import { OfflineBook, offlineEpisodes } from '../../src/runner/offline-schedule.js';

const SETTINGS = { everyMs: 2_000, forMs: 500, how: 'close' as const };

describe('offline schedule', () => {
  it('is the same for the same seed and client, and differs between clients and seeds', () => {
    const a = offlineEpisodes(SETTINGS, 7, 3, 60_000);
    expect(offlineEpisodes(SETTINGS, 7, 3, 60_000)).toEqual(a);
    expect(offlineEpisodes(SETTINGS, 7, 4, 60_000)).not.toEqual(a);
    expect(offlineEpisodes(SETTINGS, 8, 3, 60_000)).not.toEqual(a);
  });

  it('alternates whole-ns episodes inside [0, until), the last one cut at the end', () => {
    for (let client = 0; client < 50; client++) {
      const episodes = offlineEpisodes({ everyMs: 300, forMs: 400, how: 'silent' }, 1, client, 5_000);
      for (let i = 0; i < episodes.length; i++) {
        expect(Number.isInteger(episodes[i])).toBe(true);
        if (i > 0) expect(episodes[i]!).toBeGreaterThanOrEqual(episodes[i - 1]!);
      }
      expect(episodes[0]!).toBeGreaterThan(0);
      expect(episodes.at(-1)!).toBeLessThanOrEqual(5_000 * 1e6);
    }
  });

  it('has the means it was given: online `every`, offline `for` (exponential)', () => {
    let online = 0;
    let offline = 0;
    let spells = 0;
    for (let client = 0; client < 2_000; client++) {
      const episodes = offlineEpisodes(SETTINGS, 11, client, 1_000_000);
      let previousEnd = 0;
      // All but the last episode, which the end may cut.
      for (let i = 0; i + 3 < episodes.length; i += 2) {
        online += episodes[i]! - previousEnd;
        offline += episodes[i + 1]! - episodes[i]!;
        previousEnd = episodes[i + 1]!;
        spells++;
      }
    }
    expect(spells).toBeGreaterThan(100_000);
    // Standard error of a mean of n exponentials is mean / sqrt(n): under 0.3 % here; 3 % is loose.
    expect(online / spells / 1e6).toBeGreaterThan(SETTINGS.everyMs * 0.97);
    expect(online / spells / 1e6).toBeLessThan(SETTINGS.everyMs * 1.03);
    expect(offline / spells / 1e6).toBeGreaterThan(SETTINGS.forMs * 0.97);
    expect(offline / spells / 1e6).toBeLessThan(SETTINGS.forMs * 1.03);
  });

  it('episodeAt finds the episode holding a time, from inclusive, to exclusive', () => {
    const episodes = [10, 20, 30, 40];
    expect([9, 10, 19, 20, 29, 30, 39, 40].map((t) => episodeAt(episodes, t))).toEqual([-1, 0, 0, -1, -1, 1, 1, -1]);
    expect(episodeAt([], 5)).toBe(-1);
  });

  it('the book counts offline recipients as a client-by-client check does, for broadcasts and lists', () => {
    const clients = 40;
    const until = 20_000;
    const book = new OfflineBook(SETTINGS, 5, clients, until);
    const perClient = Array.from({ length: clients }, (_, i) => offlineEpisodes(SETTINGS, 5, i, until));
    for (let t = 0; t < until * 1e6; t += 37_000_001) {
      const brute = perClient.filter((episodes) => episodeAt(episodes, t) >= 0).length;
      expect(book.offlineRecipients(t, 'all')).toBe(brute);
      const some = [1, 7, 13, 39];
      expect(book.offlineRecipients(t, some)).toBe(some.filter((i) => episodeAt(perClient[i]!, t) >= 0).length);
    }
  });
});

describe('OfflineRecorder', () => {
  it('counts episodes begun in the window, recovered events and the time to recover', () => {
    const zero = 1_000_000_000n;
    // client 0: one episode in the warm-up, one in the window; client 1: none
    const recorder = new OfflineRecorder([[100, 200, 1_000, 2_000], []], zero, { startNs: zero + 500n, endNs: zero + 10_000n });
    recorder.wentOffline(0, 0);
    recorder.cameBack(0, 0, zero + 200n);
    recorder.wentOffline(0, 1);
    recorder.cameBack(0, 1, zero + 2_000n);
    recorder.event(0, zero + 900n, zero + 950n); // online at its time: not recovered
    recorder.event(0, zero + 1_500n, zero + 2_040n); // recovered, first after the return
    recorder.event(0, zero + 1_600n, zero + 2_050n); // recovered
    recorder.event(1, zero + 1_500n, zero + 1_510n); // client 1 was never offline
    const snapshot = recorder.snapshot();
    expect(snapshot.episodes).toBe(1);
    expect(snapshot.recovered).toBe(2);
    expect(summarizeEncoded(snapshot.recover).count).toBe(1);
    expect(summarizeEncoded(snapshot.recoveredLatency).count).toBe(2);
  });
});
