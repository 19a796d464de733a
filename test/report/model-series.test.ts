import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { assembleSeries } from '../../src/metrics/series.js';
import { parseResult } from '../../src/report/model.js';
import { rawFixture } from './fixture.js';

function withSeries(): Record<string, unknown> {
  const raw = rawFixture();
  const [first] = raw['transports'] as Array<Record<string, unknown>>;
  const histogram = new LatencyHistogram();
  for (let i = 1; i <= 100; i++) histogram.record(i * 1e6);
  first!['latencyHistogram'] = histogram.encode();
  first!['series'] = assembleSeries(
    [
      {
        s: 1,
        deliveries: 1,
        counted: 1,
        latency: histogram.encode(),
        requests: 2,
        bytesDown: 30,
        bytesUp: 4,
        failures: { request: 1 },
        connected: 5,
        elu: 0.5,
      },
    ],
    [{ s: 1, cpuPct: 3, rssBytes: 1e6, elu: 0.1 }],
    [
      { name: 'connect', startMs: 0, endMs: 400 },
      { name: 'measure', startMs: 400, endMs: 2_400 },
    ],
  );
  return raw;
}

describe('result.json with a series and a stored histogram', () => {
  it('survives a JSON round trip through the model unchanged', () => {
    const raw = withSeries();
    const parsed = parseResult(JSON.parse(JSON.stringify(raw)));
    const [first] = parsed.transports;
    expect(first?.series).toEqual((raw['transports'] as Array<Record<string, unknown>>)[0]!['series']);
    expect(LatencyHistogram.decode(first!.latencyHistogram!).count).toBe(100);
  });

  it('still reads an older result without them', () => {
    const parsed = parseResult(rawFixture());
    expect(parsed.transports.every((t) => t.series === undefined && t.latencyHistogram === undefined)).toBe(true);
  });

  it('refuses a series entry that is not a number, naming its path', () => {
    const raw = withSeries();
    const series = (raw['transports'] as Array<Record<string, Record<string, unknown[]>>>)[0]!['series']!;
    series['deliveries']![0] = 'many';
    expect(() => parseResult(raw)).toThrow(/series.*deliveries|deliveries/);
  });
});
