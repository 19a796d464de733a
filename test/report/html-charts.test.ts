import { describe, expect, it } from 'vitest';
import { CDF_PERCENTILES, chartData, latencyCdf, transportColour } from '../../src/report/html-charts.js';
import type { SummaryMs } from '../../src/report/model.js';
import { loadFixture } from './fixture.js';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { assembleSeries } from '../../src/metrics/series.js';

const summary: SummaryMs = { min: 0.5, mean: 3, p50: 2, p90: 5, p99: 9, p999: 12, max: 15, count: 1000 };

describe('latency CDF from stored percentiles', () => {
  it('has exactly the stored points, no invented ones', () => {
    const series = latencyCdf('sse', summary);
    expect(series.points.map((point) => [point.x, point.y])).toEqual([
      [0.5, 0],
      [2, 50],
      [5, 90],
      [9, 99],
      [12, 99.9],
      [15, 100],
    ]);
    expect(series.points).toHaveLength(CDF_PERCENTILES.length);
    expect(series.points[3]?.text).toBe('p99: 99 % within 9.00 ms');
    expect(series.note).toBeNull();
  });

  it('leaves out values a log axis cannot show, and says which', () => {
    const series = latencyCdf('polling', { ...summary, min: 0 });
    expect(series.points.map((point) => point.label)).toEqual(['p50', 'p90', 'p99', 'p99.9', 'max']);
    expect(series.note).toBe('polling: min 0.000 ms not drawn (a log axis has no place for values ≤ 0)');
  });

  it('has no points and a note when nothing was delivered', () => {
    const empty: SummaryMs = { min: null, mean: null, p50: null, p90: null, p99: null, p999: null, max: null, count: 0 };
    expect(latencyCdf('websocket', empty)).toEqual({ transport: 'websocket', source: 'percentiles', points: [], note: 'websocket: no deliveries, no curve' });
  });
});

describe('chart data', () => {
  it('has one series, one bar and one colour per transport, in run order', () => {
    const result = loadFixture();
    const data = chartData(result);
    const names = result.transports.map((transport) => transport.transport);
    expect(data.transports).toEqual(names);
    expect(data.latencyCdf.map((series) => series.transport)).toEqual(names);
    expect(data.bytesPerDelivery.map((bar) => bar.transport)).toEqual(names);
    expect(data.requestsPerDelivery.map((bar) => bar.transport)).toEqual(names);
    expect(new Set(data.colours).size).toBe(names.length);
  });

  it('shows a missing per-delivery figure as no bar with a reason', () => {
    const websocket = chartData(loadFixture()).bytesPerDelivery[3];
    expect(websocket).toEqual({ transport: 'websocket', value: null, text: 'no deliveries' });
  });

  it('cycles colours after the palette', () => {
    expect(transportColour(7)).toBe(transportColour(0));
  });
});

describe('charts from the stored histogram and the series', () => {
  function withHistogramAndSeries() {
    const result = loadFixture();
    const sse = result.transports[2]!;
    const histogram = new LatencyHistogram();
    // 900 deliveries between 1 and 3 ms and 100 between 100 and 300 ms: a second mode that 6 percentiles cannot show.
    for (let i = 0; i < 900; i++) histogram.record(1e6 + i * 2_222);
    for (let i = 0; i < 100; i++) histogram.record(100e6 + i * 2e6);
    sse.latencyHistogram = histogram.encode();
    sse.latencyMs = { ...sse.latencyMs, count: 1000 };
    sse.series = assembleSeries(
      [
        { s: 0, deliveries: 0, counted: 0, latency: '', requests: 5, bytesDown: 10, bytesUp: 10, failures: { connect: 2 }, connected: 3, elu: 0.1 },
        { s: 1, deliveries: 1, counted: 1, latency: histogram.encode(), requests: 0, bytesDown: 0, bytesUp: 0, failures: {}, connected: 5, elu: 0.1 },
      ],
      [{ s: 1, cpuPct: 10, rssBytes: 50 * 1024 * 1024, elu: 0.1 }],
      [
        { name: 'connect', startMs: 0, endMs: 500 },
        { name: 'measure', startMs: 500, endMs: 1_800 },
      ],
    );
    return result;
  }

  it('draws the CDF through every bucket of the histogram, ending at 100 %, rising all the way', () => {
    const data = chartData(withHistogramAndSeries());
    const sse = data.latencyCdf[2]!;
    expect(sse.source).toBe('histogram');
    expect(sse.points.length).toBeGreaterThan(CDF_PERCENTILES.length);
    expect(sse.points.at(-1)?.y).toBe(100);
    for (let i = 1; i < sse.points.length; i++) {
      expect(sse.points[i]!.x).toBeGreaterThan(sse.points[i - 1]!.x);
      expect(sse.points[i]!.y).toBeGreaterThan(sse.points[i - 1]!.y);
    }
    // 90 % of deliveries are at or below ~3 ms: the knee a percentile curve would draw as a straight line to the p99.
    const knee = sse.points.find((point) => point.y >= 90)!;
    expect(knee.x).toBeLessThan(3.1);
    expect(sse.points.filter((point) => point.x > 3.1 && point.x < 99).length).toBe(0);
    expect(data.latencyCdf[0]?.source).toBe('percentiles');
  });

  it('bins the histogram by tenths of a decade, adding up to 100 % and showing the second mode', () => {
    const sse = chartData(withHistogramAndSeries()).latencyHistogram[2]!;
    expect(sse.bins.reduce((sum, bin) => sum + bin.percent, 0)).toBeCloseTo(100, 6);
    const slow = sse.bins.filter((bin) => bin.fromMs >= 100);
    expect(slow.reduce((sum, bin) => sum + bin.percent, 0)).toBeCloseTo(10, 6);
    for (const bin of sse.bins) expect(bin.toMs / bin.fromMs).toBeCloseTo(10 ** 0.1, 6);
  });

  it('lays the series out per transport in seconds, with RSS in MiB and failures by kind, null for results without one', () => {
    const data = chartData(withHistogramAndSeries());
    expect(data.overTime[0]).toBeNull();
    const sse = data.overTime[2]!;
    expect(sse.x).toEqual([0.5, 1.5]);
    expect(sse.phases).toEqual([
      { name: 'connect', from: 0, to: 0.5 },
      { name: 'measure', from: 0.5, to: 1.8 },
    ]);
    expect(sse.connected).toEqual([3, 5]);
    expect(sse.serverRssMiB).toEqual([null, 50]);
    expect(sse.serverEluPct).toEqual([null, 10]);
    expect(sse.clientEluPct).toEqual([10, 10]);
    expect(sse.failures).toEqual([{ kind: 'connect', perSecond: [2, 0], total: 2 }]);
    expect(sse.colour).toBe(data.colours[2]);
  });
});
