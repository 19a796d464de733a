import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { shortPollingFigures } from '../../src/metrics/model.js';
import { emptySnapshot, type ClientSnapshot } from '../../src/metrics/snapshot.js';
import { TransportResultSchema } from '../../src/report/model.js';
import { buildTransportResult, type TransportMeasurements } from '../../src/report/transport-result.js';

function snapshot(overrides: Partial<ClientSnapshot> = {}): ClientSnapshot {
  const latency = new LatencyHistogram();
  for (let i = 1; i <= 100; i++) latency.record(i * 10_000_000); // 10..1000 ms
  const base = emptySnapshot();
  return {
    ...base,
    clients: 10,
    deliveries: { delivered: 100, duplicated: 2, reordered: 1, gapReported: 0, payloadBytes: 20_000 },
    requests: { total: 500, empty: 400, failed: 0, framesUp: 0, framesDown: 0, connectFailures: 0, reconnects: 0 },
    bytes: { up: 60_000, down: 100_000, phaseUp: 70_000, phaseDown: 110_000 },
    latency: latency.encode(),
    usage: { cpuMs: 120, rssPeakBytes: 80e6, elu: 0.2, processes: 1 },
    ...overrides,
  };
}

function measurements(overrides: Partial<TransportMeasurements> = {}): TransportMeasurements {
  return {
    transport: 'polling',
    framed: false,
    durationMs: 30_000,
    published: 100,
    expected: 100,
    clients: snapshot(),
    publishLagMs: new LatencyHistogram().summary(),
    server: { cpuMs: 50, rssPeakBytes: 90e6, elu: 0.05 },
    ...overrides,
  };
}

describe('buildTransportResult', () => {
  it('derives per-delivery figures and validates against the schema', () => {
    const result = buildTransportResult(measurements());
    expect(TransportResultSchema.parse(result)).toEqual(result);
    expect(result.events).toEqual({ published: 100, expected: 100, delivered: 100, lost: 0, duplicated: 2, reordered: 1 });
    expect(result.requests).toEqual({ total: 500, empty: 400, failed: 0, reconnects: 0, perDelivery: 5 });
    expect(result.bytes).toMatchObject({ perDelivery: 1600, overheadRatio: 8, phase: { up: 70_000, down: 110_000 } });
    expect(result.latencyMs.count).toBe(100);
    expect(result.publishLagMs.p99).toBeNull();
    expect(result.frames).toBeUndefined();
    // 100 samples cannot carry a p99: said, not hidden.
    expect(result.warnings.map((warning) => warning.code)).toEqual(['few-samples']);
  });

  it('uses null, not 0 or Infinity, when nothing was delivered', () => {
    const empty = snapshot({ deliveries: { delivered: 0, duplicated: 0, reordered: 0, gapReported: 0, payloadBytes: 0 }, latency: emptySnapshot().latency });
    const result = buildTransportResult(measurements({ clients: empty }));
    expect(result.requests.perDelivery).toBeNull();
    expect(result.bytes.perDelivery).toBeNull();
    expect(result.bytes.overheadRatio).toBeNull();
    expect(result.latencyMs.mean).toBeNull();
    expect(result.events.lost).toBe(100);
  });

  it('pairs the model with the measured figures', () => {
    const figures = shortPollingFigures({ ratePerS: 0.1, intervalS: 2, arrival: 'poisson' });
    const result = buildTransportResult(measurements({ expectedFigures: figures }));
    expect(result.model?.requestsPerDelivery).toEqual({ model: figures.requestsPerDelivery, measured: 5 });
    expect(result.model?.emptyFraction?.measured).toBe(0.8);
    expect(result.model?.meanLatencyMs?.model).toBe(1000);
  });

  it('reports frames for WebSocket, even when there were none', () => {
    expect(buildTransportResult(measurements({ transport: 'websocket', framed: true })).frames).toEqual({ up: 0, down: 0 });
  });

  it('warns instead of hiding questionable numbers', () => {
    const troubled = snapshot({
      deliveries: { delivered: 120, duplicated: 0, reordered: 0, gapReported: 3, payloadBytes: 1 },
      usage: { cpuMs: 1, rssPeakBytes: 1, elu: 0.97, processes: 1 },
      latencyClamped: 2,
      requests: { total: 1, empty: 0, failed: 0, framesUp: 0, framesDown: 0, connectFailures: 4, reconnects: 0 },
    });
    const result = buildTransportResult(measurements({ clients: troubled, warnings: [{ code: 'client-failures', message: 'x' }] }));
    expect(result.warnings.map((warning) => warning.code)).toEqual([
      'client-failures',
      'delivered-exceeds-expected',
      'generator-saturated',
      'server-gaps',
      'latency-clamped',
      'connect-failures',
      'few-samples',
    ]);
    expect(result.events.lost).toBe(0);
  });

  it('warns about loss and a publisher that fell behind', () => {
    const lag = new LatencyHistogram();
    for (let i = 0; i < 100; i++) lag.record(25_000_000);
    const result = buildTransportResult(measurements({ expected: 110, publishLagMs: lag.summary() }));
    expect(result.warnings.map((warning) => warning.code)).toEqual(['events-lost', 'publish-lag', 'few-samples']);
    expect(result.warnings[0]?.message).toContain('10 of 110 expected deliveries never arrived');
  });
});
