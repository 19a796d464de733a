import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/scenario.js';

function load(text: string, overrides: string[] = []): Scenario {
  const result = loadScenarioText(text, 'test.yaml', overrides);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.scenario;
}

describe('a minimal scenario takes the documented defaults', () => {
  it('fills every value', () => {
    expect(load('name: minimal\n')).toEqual({
      name: 'minimal',
      description: '',
      seed: 1,
      durationMs: 10_000,
      warmupMs: 2_000,
      drainMs: null,
      clients: { count: 100, rampUpMs: 1_000 },
      events: { arrival: { kind: 'poisson', ratePerSecond: 10 }, payloadBytes: 200, audience: { kind: 'one' } },
      chat: null,
      network: null,
      intermediary: null,
      target: null,
      transports: [
        { name: 'polling', settings: { intervalMs: 1_000, mode: 'fixed' } },
        { name: 'long-polling', settings: { timeoutMs: 30_000 } },
        { name: 'sse', settings: { heartbeatMs: null } },
        { name: 'sse-h2', settings: { heartbeatMs: null, streamsPerConnection: 1 } },
        { name: 'http-stream', settings: { heartbeatMs: null } },
        { name: 'websocket', settings: { heartbeatMs: null, compression: false } },
      ],
      thresholds: [],
      sweep: null,
    });
  });

  it('runs only the listed transports, an empty entry meaning defaults', () => {
    const scenario = load('name: t\ntransports:\n  websocket:\n  polling: { interval: 250ms, mode: chained }\n');
    expect(scenario.transports).toEqual([
      { name: 'polling', settings: { intervalMs: 250, mode: 'chained' } },
      { name: 'websocket', settings: { heartbeatMs: null, compression: false } },
    ]);
  });

  it('reads bursts, fractions, heartbeats and thresholds in base units', () => {
    const scenario = load(
      'name: t\nevents: { arrival: burst, burst: { size: 20, every: 2s }, audience: 25%, payload: 1KiB }\n' +
        'transports: { sse: { heartbeat: 15s } }\nthresholds: ["sse.latency.p99 <= 1.5s", "sse.bytes.perDelivery < 2KB", "sse.server.elu < 80%"]\n',
    );
    expect(scenario.events).toEqual({
      arrival: { kind: 'burst', size: 20, everyMs: 2_000 },
      payloadBytes: 1_024,
      audience: { kind: 'fraction', fraction: 0.25 },
    });
    expect(scenario.transports).toEqual([{ name: 'sse', settings: { heartbeatMs: 15_000 } }]);
    expect(scenario.thresholds.map((t) => [t.transport, t.figure, t.op, t.limit])).toEqual([
      ['sse', 'latency.p99', '<=', 1_500],
      ['sse', 'bytes.perDelivery', '<', 2_000],
      ['sse', 'server.elu', '<', 0.8],
    ]);
  });

  it('applies --set overrides, later ones winning', () => {
    const scenario = load('name: t\nclients: { count: 5 }\n', ['clients.count=2000', 'transports.sse.heartbeat=5s', 'clients.count=3000']);
    expect(scenario.clients.count).toBe(3_000);
    expect(scenario.transports).toEqual([{ name: 'sse', settings: { heartbeatMs: 5_000 } }]);
  });

  it('warns without failing', () => {
    const result = loadScenarioText('name: t\nduration: 2s\ntransports: { polling: { interval: 5s } }\n', 'w.yaml');
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['events', 'transports.polling.interval']);
  });
});
