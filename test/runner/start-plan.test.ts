import { describe, expect, it } from 'vitest';
import { plannedStarts } from '../../src/runner/start-plan.js';
import { loadScenarioText } from '../../src/scenario/load.js';

function scenario(more: string) {
  const loaded = loadScenarioText(`name: t\nduration: 5s\nclients: { count: 10 }\nevents: { rate: 1/s }\n${more}`, 's.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

const whats = (starts: ReadonlyArray<{ what: string }>) => starts.map((s) => s.what);

describe('what a run starts around its phases', () => {
  it('the reference server alone for the reference server’s transports, nothing against a target', () => {
    const s = scenario('transports: { sse: {}, websocket: {} }\n');
    expect(plannedStarts(s, s.transports)).toEqual([{ what: 'the reference server', ms: 600 }]);
    expect(plannedStarts(s, s.transports, { target: true })).toEqual([]);
  });

  it('a broker per kind the transports need, unless the user gives their own', () => {
    const s = scenario('transports: { amqp-consume: {}, amqp-get: {}, mqtt: {}, sse: {} }\n');
    expect(whats(plannedStarts(s, s.transports))).toEqual(['the reference server', 'RabbitMQ', 'Mosquitto']);
    expect(plannedStarts(s, s.transports).find((x) => x.what === 'RabbitMQ')!.ms).toBeGreaterThanOrEqual(5_000);
    expect(whats(plannedStarts(s, s.transports, { brokers: { amqp: 'amqp://127.0.0.1:5672' } }))).toEqual(['the reference server', 'Mosquitto']);
    // Only the transports selected count: without the broker ones, no broker starts.
    expect(
      whats(
        plannedStarts(
          s,
          s.transports.filter((t) => t.name === 'sse'),
        ),
      ),
    ).toEqual(['the reference server']);
  });

  it('every process of a split reference server, one after another, and its backplane first', () => {
    const s = scenario('transports: { sse: {} }\nserver: { processes: 3, backplane: redis }\n');
    const starts = plannedStarts(s, s.transports);
    expect(whats(starts)).toEqual(['Redis', '3 reference server processes']);
    expect(starts[1]!.ms).toBe(3 * 600);
    expect(whats(plannedStarts(s, s.transports, { serverProcesses: 2 }))).toEqual(['Redis', '2 reference server processes']);
    expect(whats(plannedStarts(scenario('transports: { sse: {} }\nserver: { backplane: nats }\n'), s.transports))).toEqual(['NATS', 'the reference server']);
  });

  it('nginx for intermediary: nginx, the shaping proxies for a network or an idle timeout', () => {
    const sse = 'transports: { sse: {} }\n';
    expect(whats(plannedStarts(scenario(`${sse}intermediary: nginx\n`), scenario(sse).transports))).toEqual(['the reference server', 'nginx']);
    expect(whats(plannedStarts(scenario(`${sse}network: 4g\n`), scenario(sse).transports))).toEqual(['the reference server', 'the shaping proxies']);
    expect(whats(plannedStarts(scenario(`${sse}intermediary: { idleTimeout: 15s }\n`), scenario(sse).transports))).toEqual([
      'the reference server',
      'the shaping proxies',
    ]);
  });
});
