import { describe, expect, it } from 'vitest';
import {
  longPollingFigures,
  shortPollingFigures,
  longPollingEmptyFraction,
  longPollingRequestsPerEvent,
  longPollingRequestsPerEventApprox,
  perClientRate,
  shortPollingEmptyFraction,
  shortPollingMeanLatencyS,
  shortPollingRequestsPerEvent,
} from '../../src/metrics/model.js';
import { seededRandom } from '../../src/runner/random.js';

// The project's seeded generator, so the simulations are exact from run to run.
const random = seededRandom;

function poissonArrivals(ratePerS: number, count: number, next: () => number): number[] {
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += -Math.log(1 - next()) / ratePerS;
    times.push(t);
  }
  return times;
}

function evenArrivals(ratePerS: number, count: number, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => offset + i / ratePerS);
}

/** A fixed-timer poller with phase `phase`: mean wait per event and fraction of empty polls. */
function simulatePolling(arrivals: number[], intervalS: number, phase: number) {
  let waitSum = 0;
  const eventsPerPoll = new Map<number, number>();
  for (const t of arrivals) {
    const poll = Math.ceil((t - phase) / intervalS);
    waitSum += phase + poll * intervalS - t;
    eventsPerPoll.set(poll, (eventsPerPoll.get(poll) ?? 0) + 1);
  }
  const last = arrivals[arrivals.length - 1] ?? 0;
  const polls = Math.ceil((last - phase) / intervalS);
  return { meanWaitS: waitSum / arrivals.length, emptyFraction: 1 - eventsPerPoll.size / polls };
}

/** A long-poll client against an ideal server: requests per event, empty answers per request. */
function simulateLongPolling(arrivals: number[], rttS: number, timeoutS: number) {
  let next = 0;
  let requests = 0;
  let empty = 0;
  let requestAt = 0;
  while (next < arrivals.length) {
    requests++;
    const first = arrivals[next] as number;
    let answerAt: number;
    if (first <= requestAt + timeoutS) {
      answerAt = Math.max(first, requestAt);
      while (next < arrivals.length && (arrivals[next] as number) <= answerAt) next++;
    } else {
      empty++;
      answerAt = requestAt + timeoutS;
    }
    requestAt = answerAt + rttS;
  }
  return { requestsPerEvent: requests / arrivals.length, emptyFraction: empty / requests };
}

describe('per-client rate', () => {
  it('divides the stream by audience', () => {
    expect(perClientRate(50, 500, 'one')).toBeCloseTo(0.1);
    expect(perClientRate(50, 500, 'all')).toBe(50);
    expect(perClientRate(50, 500, { fraction: 0.1 })).toBe(5);
    expect(perClientRate(50, 0, 'one')).toBe(0);
  });
});

describe('short polling model', () => {
  it('gives T/2, e^(−λT) and 1/(λT) in closed form', () => {
    expect(shortPollingMeanLatencyS(2)).toBe(1);
    expect(shortPollingEmptyFraction(0.1, 2, 'poisson')).toBeCloseTo(Math.exp(-0.2), 12);
    expect(shortPollingEmptyFraction(0.1, 2, 'uniform')).toBeCloseTo(0.8, 12);
    expect(shortPollingEmptyFraction(1, 2, 'uniform')).toBe(0);
    expect(shortPollingEmptyFraction(1, 2, 'burst')).toBeNull();
    expect(shortPollingRequestsPerEvent(0.1, 2)).toBeCloseTo(5, 12);
  });

  it('matches a simulated Poisson stream', () => {
    const next = random(1);
    const simulated = simulatePolling(poissonArrivals(0.1, 40_000, next), 2, next() * 2);
    expect(simulated.meanWaitS).toBeCloseTo(shortPollingMeanLatencyS(2), 1);
    expect(Math.abs(simulated.emptyFraction - (shortPollingEmptyFraction(0.1, 2, 'poisson') ?? 0))).toBeLessThan(0.005);
  });

  it('matches a simulated evenly spaced stream', () => {
    const next = random(2);
    const simulated = simulatePolling(evenArrivals(0.13, 40_000, next() * 5), 2, next() * 2);
    expect(simulated.meanWaitS).toBeCloseTo(1, 1);
    expect(Math.abs(simulated.emptyFraction - (shortPollingEmptyFraction(0.13, 2, 'uniform') ?? 0))).toBeLessThan(0.005);
  });
});

describe('long polling model', () => {
  it('is 1 request per event for a sparse stream with a long timeout', () => {
    expect(longPollingRequestsPerEvent(0.01, 0.001, 1e6)).toBeCloseTo(1, 4);
  });

  it('tends to 1/(λ·rtt) for a dense stream', () => {
    expect(longPollingRequestsPerEvent(1000, 0.01, 30)).toBeCloseTo(0.1, 3);
  });

  it.each([
    { ratePerS: 2, rttS: 0.2, timeoutS: 5, why: 'batching during the round trip' },
    { ratePerS: 0.5, rttS: 0.001, timeoutS: 1, why: 'timeouts' },
    { ratePerS: 1, rttS: 0.05, timeoutS: 2, why: 'both' },
  ])('matches a simulation ($why)', ({ ratePerS, rttS, timeoutS }) => {
    const simulated = simulateLongPolling(poissonArrivals(ratePerS, 100_000, random(3)), rttS, timeoutS);
    const model = longPollingRequestsPerEvent(ratePerS, rttS, timeoutS);
    expect(Math.abs(simulated.requestsPerEvent - model) / model).toBeLessThan(0.01);
    expect(Math.abs(simulated.emptyFraction - longPollingEmptyFraction(ratePerS, rttS, timeoutS))).toBeLessThan(0.01);
  });

  it('the first-order approximation over-counts (kept for the docs)', () => {
    expect(longPollingRequestsPerEventApprox(0.5, 0.001, 1)).toBeGreaterThan(longPollingRequestsPerEvent(0.5, 0.001, 1));
  });
});

describe("the models' figures", () => {
  it('polling: latency in ms, empty fraction, requests per delivery', () => {
    const figures = shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'poisson' });
    expect(figures.meanLatencyMs).toBe(1000);
    expect(figures.emptyFraction).toBeCloseTo(0.8187, 4);
    expect(figures.requestsPerDelivery).toBeCloseTo(5, 10);
  });

  it('says nothing where the model does not apply', () => {
    expect(shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'burst' })).toEqual({
      meanLatencyMs: null,
      emptyFraction: null,
      requestsPerDelivery: null,
      bytesPerDelivery: null,
    });
    expect(shortPollingFigures({ ratePerS: 0, intervalS: 2, arrival: 'poisson' }).requestsPerDelivery).toBeNull();
    const longPoll = longPollingFigures({ ratePerS: 0.1, rttS: 0.001, timeoutS: 30, arrival: 'uniform' });
    expect(longPoll.requestsPerDelivery).toBeNull();
  });

  it('long polling: requests per delivery and empty fraction, no latency model', () => {
    const figures = longPollingFigures({ ratePerS: 0.1, rttS: 0.0005, timeoutS: 30, arrival: 'poisson' });
    expect(figures.meanLatencyMs).toBeNull();
    expect(figures.requestsPerDelivery).toBeCloseTo(1 + 1 / Math.expm1(3), 3);
  });
});
