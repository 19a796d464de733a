/** The models over an emulated link: what the one-way delays and the down rate add to the mean latency. */
import { describe, expect, it } from 'vitest';
import { longPollingFigures, pushFigures, shortPollingFigures, type ClientLink } from '../../src/metrics/model.js';
import { exponential, seededRandom } from '../../src/runner/random.js';

const link = (upLatencyMs: number, downLatencyMs: number, downBytesPerSecond: number | null = null): ClientLink => ({
  upLatencyMs,
  downLatencyMs,
  downBytesPerSecond,
});

/**
 * Long polling with no timeout, simulated event by event: a request held at the server answers
 * the next event at once; after each answer the next request arrives `rttMs` later and takes
 * everything that came meanwhile. Returns the mean of (answer time − event time) + downMs.
 */
function simulatedLongPollMeanMs(ratePerS: number, rttMs: number, downMs: number, events: number): number {
  const random = seededRandom(7);
  let t = 0;
  /** When the next request reaches the server. */
  let requestAtMs = 0;
  /** Events are waiting for that request: it will be answered at once, with all of them. */
  let batch = false;
  let total = 0;
  for (let i = 0; i < events; i++) {
    t += exponential(random, ratePerS / 1_000);
    for (;;) {
      if (t < requestAtMs) {
        total += requestAtMs - t + downMs;
        batch = true;
        break;
      }
      if (batch) {
        // The waiting batch went at requestAtMs; the request after it arrives a round trip later.
        requestAtMs += rttMs;
        batch = false;
        continue;
      }
      // The request was held: this event answers it at once.
      total += downMs;
      requestAtMs = t + rttMs;
      break;
    }
  }
  return total / events;
}

describe('models over a link', () => {
  it('short polling: T/2 plus the down delay and the transmission; the up delay does not count', () => {
    expect(shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'poisson', link: link(30, 50), payloadBytes: 1_000 }).meanLatencyMs).toBe(1_050);
    expect(shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'poisson', link: link(300, 50), payloadBytes: 1_000 }).meanLatencyMs).toBe(1_050);
    expect(
      shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'poisson', link: link(30, 50, 100_000), payloadBytes: 1_000 }).meanLatencyMs,
    ).toBeCloseTo(1_060, 9);
  });

  it.each([
    [0.1, 100],
    [5, 100],
    [50, 100],
  ])('long polling at %s events/s with a %s ms round trip: the formula agrees with a simulation', (ratePerS, rttMs) => {
    const figures = longPollingFigures({ ratePerS, rttS: rttMs / 1_000, timeoutS: Infinity, arrival: 'poisson', link: link(50, 50), payloadBytes: 0 });
    expect(figures.meanLatencyMs).not.toBeNull();
    expect(figures.meanLatencyMs!).toBeCloseTo(simulatedLongPollMeanMs(ratePerS, rttMs, 50, 200_000), 0);
  });

  it('long polling: a sparse stream pays the down delay, a dense one half a round trip more', () => {
    const at = (ratePerS: number) =>
      longPollingFigures({ ratePerS, rttS: 0.1, timeoutS: Infinity, arrival: 'poisson', link: link(50, 50), payloadBytes: 0 }).meanLatencyMs!;
    expect(at(0.01)).toBeCloseTo(50, 1);
    expect(at(1_000)).toBeCloseTo(100, 1);
  });

  it('push: the down delay plus one event at the down rate; no model on loopback unless of its bytes', () => {
    const push = (l: ClientLink | null, payloadBytes: number, ratePerS = 0.001, arrival: 'poisson' | 'uniform' | 'burst' = 'uniform') =>
      pushFigures({ link: l, payloadBytes, ratePerS, arrival });
    expect(push(null, 200)).toBeNull();
    expect(push(link(10, 50, 64_000), 640)?.meanLatencyMs).toBeCloseTo(60, 9);
    expect(push(link(10, 50), 640)).toEqual({ meanLatencyMs: 50, emptyFraction: null, requestsPerDelivery: null, bytesPerDelivery: null });
    expect(pushFigures({ link: null, payloadBytes: 200, ratePerS: 1, arrival: 'poisson', wireBytesPerEvent: 290 })).toEqual({
      meanLatencyMs: null,
      emptyFraction: null,
      requestsPerDelivery: null,
      bytesPerDelivery: 290,
    });
  });

  it('push: a busy link adds the M/D/1 wait for Poisson events; bursts and a saturated link are not modelled', () => {
    // 640 B at 64 kB/s = 10 ms each; 50 events/s keep the link busy half the time: wait 0.5 × 10 / (2 × 0.5) = 5 ms.
    expect(pushFigures({ link: link(10, 50, 64_000), payloadBytes: 640, ratePerS: 50, arrival: 'poisson' })?.meanLatencyMs).toBeCloseTo(65, 9);
    expect(pushFigures({ link: link(10, 50, 64_000), payloadBytes: 640, ratePerS: 50, arrival: 'uniform' })?.meanLatencyMs).toBeCloseTo(60, 9);
    expect(pushFigures({ link: link(10, 50, 64_000), payloadBytes: 640, ratePerS: 50, arrival: 'burst' })?.meanLatencyMs).toBeNull();
    expect(pushFigures({ link: link(10, 50, 64_000), payloadBytes: 640, ratePerS: 100, arrival: 'poisson' })?.meanLatencyMs).toBeNull();
  });
});
