import { describe, expect, it } from 'vitest';
import { CDF_PERCENTILES, chartData, latencyCdf, transportColour } from '../../src/report/html-charts.js';
import type { SummaryMs } from '../../src/report/model.js';
import { loadFixture } from './fixture.js';

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
    expect(latencyCdf('websocket', empty)).toEqual({ transport: 'websocket', points: [], note: 'websocket: no deliveries, no curve' });
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
