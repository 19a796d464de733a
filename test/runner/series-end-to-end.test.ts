import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { runToResult, scenarioOf, transportOf } from '../helpers/run.js';

const SCENARIO = `name: series
duration: 3s
warmup: 1s
drain: 1s
clients: { count: 6, rampUp: 300ms }
events: { rate: 20/s, arrival: uniform, payload: 100B, audience: all }
transports:
  sse: {}
  polling: { interval: 500ms }
`;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('the per-second series of a real run (2 client processes)', () => {
  it('has one entry per second of the phase, and its counted deliveries add up to the window', async () => {
    const result = await runToResult(scenarioOf(SCENARIO, 'series.yaml'), 2);
    for (const name of ['sse', 'polling']) {
      const transport = transportOf(result, name);
      const series = transport.series!;
      expect(series, name).toBeDefined();
      expect(series.phases.map((p) => p.name)).toEqual(['connect', 'warm-up', 'measure', 'drain', 'disconnect']);
      const measure = series.phases.find((p) => p.name === 'measure')!;
      expect(measure.endMs - measure.startMs).toBeCloseTo(3_000, 0);
      const length = Math.ceil(series.phases.at(-1)!.endMs / series.intervalMs);
      for (const [key, values] of Object.entries(series)) {
        if (Array.isArray(values) && key !== 'phases') expect(values, `${name} ${key}`).toHaveLength(length);
      }
      // Every unique in-window delivery sits in exactly one second, whenever it arrived.
      expect(transport.events.delivered).toBe(6 * 60);
      expect(sum(series.counted)).toBe(transport.events.delivered);
      // The warm-up's deliveries show in the series too, but are not counted.
      expect(sum(series.deliveries)).toBeGreaterThan(sum(series.counted));
      series.deliveries.forEach((n, s) => expect(series.latencyP50Ms[s] === null, `${name} second ${s}`).toBe(n === 0));
      expect(series.connected[Math.floor(measure.startMs / 1_000) + 1]).toBe(6);
      expect(sum(series.requests)).toBeGreaterThanOrEqual(transport.requests.total);
      // Read once a second over HTTP: a loaded machine may put two readings in one second, never none in most.
      expect(series.serverCpuPct.filter((v) => v !== null).length).toBeGreaterThanOrEqual(length / 2);
      expect(LatencyHistogram.decode(transport.latencyHistogram!).count).toBe(transport.events.delivered);
    }
  }, 120_000);
});
