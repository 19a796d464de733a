import { describe, expect, it } from 'vitest';
import { RATIO_HEADER, ratioRow, SCALE_HEADER, scaleRow, type RunFigures } from '../../bench/lib/figures.js';

const run = (over: Partial<RunFigures> = {}): RunFigures => ({
  clients: 1_000,
  expected: 10_000,
  delivered: 10_000,
  durationMs: 10_000,
  latencyMs: { p50: 10, p99: 20 },
  server: { cpuMs: 500, rssPeakBytes: 400e6, idleRssBytes: 100e6, elu: 0.1 },
  client: { cpuMs: 200, elu: 0.2, processes: 1 },
  ...over,
});
const cell = (header: string[], row: string[], name: string) => row[header.indexOf(name)];

describe('bench figures', () => {
  it('takes an idle server process off the peak RSS once per process before dividing by connections', () => {
    expect(cell(SCALE_HEADER, scaleRow('one', run()), 'server kB/conn')).toBe('300.0');
    const split = run({ server: { cpuMs: 500, rssPeakBytes: 400e6, idleRssBytes: 100e6, elu: 0.1, processes: 3 } });
    expect(cell(SCALE_HEADER, scaleRow('three', split), 'server kB/conn')).toBe('100.0');
  });

  it('divides the client processes CPU by the deliveries, and compares it with the baseline', () => {
    expect(cell(SCALE_HEADER, scaleRow('r', run()), 'client µs/event')).toBe('20.0');
    const baseline = run({ client: { cpuMs: 100, elu: 0.1, processes: 1 } });
    expect(cell(RATIO_HEADER, ratioRow('r', run(), baseline), 'client CPU/delivery')).toBe('2.00x');
    expect(cell(SCALE_HEADER, scaleRow('none', run({ delivered: 0 })), 'client µs/event')).toBe('—');
  });
});
