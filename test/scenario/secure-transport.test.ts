import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

describe('sse-h2 under emulated conditions', () => {
  it('is left out of the default transports, with a warning, when the scenario shapes the link', () => {
    const result = loadScenarioText('name: t\nnetwork: { latency: 20ms }\n', 'ok.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.transports.map((plan) => plan.name)).toEqual(['polling', 'long-polling', 'sse', 'http-stream', 'websocket']);
    expect(result.warnings.map(formatProblem).join('\n')).toContain('sse-h2 left out');
  });

  it('runs with the others on a plain loopback link', () => {
    const result = loadScenarioText('name: t\n', 'ok.yaml');
    expect(result.ok && result.scenario.transports.map((plan) => plan.name)).toContain('sse-h2');
    expect(result.warnings.map(formatProblem).join('\n')).not.toContain('left out');
  });

  it('is a located error when listed beside an intermediary', () => {
    const result = loadScenarioText('name: t\nintermediary: { idleTimeout: 10s }\ntransports:\n  sse-h2: {}\n', 'bad.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatProblem).join('\n')).toMatch(
      /^bad\.yaml:4:11 transports\.sse-h2: sse-h2 connects straight to the reference server’s TLS listener/m,
    );
  });
});
