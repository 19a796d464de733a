/**
 * A transport run more than once with other settings (`amqp-consume/p1:` keys), and the broker
 * transports in a scenario: planned, located when wrong, named in results and thresholds.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import { runName } from '../../src/transports/catalog.js';
import { runToResult, scenarioOf } from '../helpers/run.js';

const errorsOf = (text: string): string => {
  const result = loadScenarioText(text, 'bad.yaml');
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.errors.map(formatProblem).join('\n');
};

describe('several runs of one transport', () => {
  it('plans the plain entry first, then each labelled run in the file order, each with its own settings', () => {
    const scenario = scenarioOf(
      'name: t\ntransports:\n  amqp-consume/p100: { prefetch: 100 }\n  sse: {}\n  amqp-consume/p1: { prefetch: 1 }\n  amqp-consume: {}\n',
      'ok.yaml',
    );
    expect(scenario.transports.map(runName)).toEqual(['sse', 'amqp-consume', 'amqp-consume/p100', 'amqp-consume/p1']);
    expect(scenario.transports.map((plan) => (plan.settings as { prefetch?: number }).prefetch)).toEqual([undefined, 100, 100, 1]);
  });

  it('locates a bad setting of a labelled run, and an unknown key at the key', () => {
    expect(errorsOf('name: t\ntransports:\n  amqp-consume/p0: { prefetch: 0 }\n')).toMatch(
      /^bad\.yaml:3:32 transports\.amqp-consume\/p0\.prefetch: 0 is out of range/m,
    );
    expect(errorsOf('name: t\ntransports:\n  amqp-consum/x: {}\n')).toMatch(
      /^bad\.yaml:3:3 transports\.amqp-consum\/x: unknown key "amqp-consum\/x" \(did you mean "amqp-consume"\?\)/m,
    );
    expect(errorsOf('name: t\ntransports:\n  sse/a.b: {}\n')).toContain('or <transport>/<label> to run one again with other settings');
  });

  it('refuses runs of one reference-server transport that need the server started otherwise', () => {
    expect(errorsOf('name: t\ntransports:\n  sse: {}\n  sse/beat: { heartbeat: 1s }\n')).toMatch(
      /^bad\.yaml:4:13 transports\.sse\/beat: sse\/beat needs the reference server started otherwise than sse/m,
    );
  });

  it('checks a threshold of one run by the run name, and warns of a run the scenario does not have', () => {
    const result = loadScenarioText(
      'name: t\ntransports:\n  polling/a: {}\nthresholds:\n  - polling/a.latency.p99 < 1s\n  - polling/b.latency.p99 < 1s\n  - pollng/a.latency.p99 < 1s\n',
      'x.yaml',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(formatProblem).join('\n')).toContain('names transport "pollng/a", which does not exist');
    const ok = loadScenarioText(
      'name: t\ntransports:\n  polling/a: {}\nthresholds:\n  - polling/a.latency.p99 < 1s\n  - polling/b.latency.p99 < 1s\n',
      'x.yaml',
    );
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.scenario.thresholds.map((t) => t.transport)).toEqual(['polling/a', 'polling/b']);
    expect(ok.warnings.map(formatProblem).join('\n')).toContain('names polling/b, which this scenario does not run');
  });

  it('runs each under its own name, every event accounted for, and each at its own pace', async () => {
    const scenario = scenarioOf(
      'name: runs\nduration: 2s\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports:\n  polling: { interval: 100ms }\n  polling/slow: { interval: 500ms }\nthresholds:\n  - polling/slow.events.lost <= 0\n',
      'runs.yaml',
    );
    const result = await runToResult(scenario, 1);
    expect(result.transports.map((t) => t.transport)).toEqual(['polling', 'polling/slow']);
    for (const t of result.transports) expect(t.events.delivered, t.transport).toBe(t.events.expected);
    const [fast, slow] = result.transports;
    expect(fast!.requests.total).toBeGreaterThan(2 * slow!.requests.total);
    expect(result.thresholds).toEqual([{ expr: 'polling/slow.events.lost <= 0', actual: 0, ok: true }]);
  }, 60_000);
});

describe('the broker transports in a scenario', () => {
  it('run only when listed: a scenario without transports runs the reference server’s', () => {
    const scenario = scenarioOf('name: t\n', 'ok.yaml');
    expect(scenario.transports.map(runName)).not.toContain('mqtt');
    expect(scenario.transports.map(runName)).not.toContain('amqp-get');
  });

  it('are refused with network, an intermediary, or in a chat', () => {
    expect(errorsOf('name: t\nnetwork: 4g\ntransports:\n  mqtt: {}\n')).toContain('mqtt connects straight to its broker');
    expect(errorsOf('name: t\nintermediary: { idleTimeout: 10s }\ntransports:\n  amqp-get: {}\n')).toContain('amqp-get connects straight to its broker');
    expect(errorsOf('name: t\nclients: { count: 4 }\nchat: { rooms: 2 }\ntransports:\n  amqp-consume: {}\n')).toMatch(
      /transports\.amqp-consume: amqp-consume clients only receive/,
    );
  });
});
