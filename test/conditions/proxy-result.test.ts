/** The proxy section of a transport's result and its saturation warning. */
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { emptySnapshot } from '../../src/metrics/snapshot.js';
import { TransportResultSchema, type ProxyUsage } from '../../src/report/model.js';
import { buildTransportResult } from '../../src/report/transport-result.js';

const usage = (elu: number): ProxyUsage => ({
  processes: 2,
  cpuMs: 900,
  rssPeakBytes: 120e6,
  elu,
  connections: 40,
  bytesUp: 1_000,
  bytesDown: 50_000,
  pauses: 0,
  idleCuts: 20,
});

function build(proxy?: ProxyUsage) {
  return buildTransportResult({
    transport: 'sse',
    framed: false,
    durationMs: 10_000,
    published: 0,
    expected: 0,
    clients: { ...emptySnapshot(), clients: 10 },
    publishLagMs: new LatencyHistogram().summary(),
    server: { cpuMs: 50, rssPeakBytes: 90e6, elu: 0.05 },
    ...(proxy ? { proxy } : {}),
  });
}

describe('the proxy section', () => {
  it('is absent without a proxy, present and valid with one', () => {
    expect(build().proxy).toBeUndefined();
    const result = build(usage(0.3));
    expect(TransportResultSchema.parse(result).proxy).toEqual(usage(0.3));
    expect(result.warnings.map((w) => w.code)).not.toContain('proxy-saturated');
  });

  it('warns proxy-saturated when a proxy event loop reached 0.9: the link, not the transport, was the limit', () => {
    const warning = build(usage(0.93)).warnings.find((w) => w.code === 'proxy-saturated');
    expect(warning?.message).toContain('0.93');
    expect(warning?.transport).toBe('sse');
  });
});
