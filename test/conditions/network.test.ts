/** The `network` and `intermediary` keys: presets, mappings, per-direction overrides, and located errors. */
import { describe, expect, it } from 'vitest';
import { describeConditions } from '../../src/conditions/describe.js';
import { NETWORK_PRESETS } from '../../src/conditions/network.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import type { Scenario } from '../../src/scenario/scenario.js';

const valid = (rest: string) => `name: t\nduration: 5s\n${rest}`;

function load(yaml: string): Scenario {
  const loaded = loadScenarioText(valid(yaml), 's.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
  return loaded.scenario;
}

function errors(yaml: string): string[] {
  const loaded = loadScenarioText(valid(yaml), 's.yaml');
  if (loaded.ok) throw new Error('expected the scenario to be refused');
  return loaded.errors.map(formatProblem);
}

describe('network', () => {
  it('is absent (null) unless written', () => {
    expect(load('').network).toBeNull();
    expect(load('').intermediary).toBeNull();
  });

  it('a mapping applies to both directions; bandwidth in bytes per second with a 1 ms burst', () => {
    const { network } = load('network: { latency: 50ms, jitter: 10ms, bandwidth: 2Mbit/s }\n');
    const direction = { latencyMs: 50, jitterMs: 10, bytesPerSecond: 250_000, burstBytes: 250 };
    expect(network).toEqual({ up: direction, down: direction });
  });

  it('up: and down: override the shared keys per direction', () => {
    const { network } = load('network:\n  latency: 20ms\n  down: { latency: 80ms, bandwidth: 64KB/s }\n');
    expect(network?.up).toEqual({ latencyMs: 20, jitterMs: 0, bytesPerSecond: null, burstBytes: 1 });
    expect(network?.down).toEqual({ latencyMs: 80, jitterMs: 0, bytesPerSecond: 64_000, burstBytes: 64 });
  });

  it('a preset by name, and a preset with overrides', () => {
    expect(load('network: 3g\n').network?.down).toMatchObject({ latencyMs: 150, bytesPerSecond: NETWORK_PRESETS['3g'].down.bytesPerSecond });
    const { network } = load('network: { preset: 4g, latency: 80ms }\n');
    expect(network?.up).toMatchObject({ latencyMs: 80, bytesPerSecond: NETWORK_PRESETS['4g'].up.bytesPerSecond });
  });

  it.each([
    ['negative latency', 'network: { latency: -5ms }\n', '3:21', '"-5ms" is negative; a latency is at least 0ms'],
    ['a bandwidth word', 'network: { bandwidth: fast }\n', '3:23', '"fast" is not a bandwidth; write e.g. "2Mbit/s"'],
    ['an unknown preset', 'network: 4gg\n', '3:10', '"4gg" is not a network preset (did you mean "4g"?)'],
    ['an unknown key', 'network: { latncy: 5ms }\n', '3:12', 'unknown key "latncy" (did you mean "latency"?)'],
    ['jitter above the latency', 'network: { latency: 5ms, jitter: 10ms }\n', '3:34', 'jitter 10ms is larger than the latency 5ms'],
    ['a negative down latency', 'network:\n  down: { latency: -1ms }\n', '4:20', 'network.down.latency: "-1ms" is negative'],
    ['an idle timeout without unit', 'intermediary: { idleTimeout: 30 }\n', '3:30', '30 is not a duration'],
    ['an intermediary word', 'intermediary: squid\n', '3:15', '"squid" is not a mapping'],
  ])('%s: located, with the fix', (_what, yaml, at, message) => {
    const [first, ...rest] = errors(yaml);
    expect(rest).toEqual([]);
    expect(first).toContain(`s.yaml:${at}`);
    expect(first).toContain(message);
  });
});

describe('intermediary', () => {
  it('idleTimeout becomes a tagged idle-timeout intermediary', () => {
    expect(load('intermediary: { idleTimeout: 1500ms }\n').intermediary).toEqual({ kind: 'idle-timeout', idleTimeoutMs: 1_500 });
  });

  it('the proxy figures can be thresholds', () => {
    const { thresholds } = load('intermediary: { idleTimeout: 60s }\nthresholds:\n  - sse.proxy.idleCuts <= 0\n  - websocket.proxy.elu < 50%\n');
    expect(thresholds.map((t) => t.expr)).toEqual(['sse.proxy.idleCuts <= 0', 'websocket.proxy.elu < 50%']);
  });
});

describe('describeConditions', () => {
  it('says what stands between clients and server, or nothing', () => {
    const s = load('network: { preset: 3g, jitter: 20ms }\nintermediary: { idleTimeout: 60s }\n');
    expect(describeConditions(s.network, s.intermediary)).toBe('link up 150ms ±20ms 768kbit/s, down 150ms ±20ms 1.6Mbit/s | idle timeout 1m');
    expect(describeConditions(null, null)).toBe('');
  });
});
