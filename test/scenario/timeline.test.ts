import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { describeWallTime, plannedRun } from '../../src/scenario/timeline.js';

const SERVER = [{ what: 'the reference server', ms: 600 }];

function scenario(yaml: string) {
  const loaded = loadScenarioText(yaml, 's.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.scenario;
}

const BASE = 'name: t\nduration: 20s\nwarmup: 3s\nclients: { count: 100, rampUp: 2s }\nevents: { rate: 10/s }\n';

describe('planned wall time', () => {
  it('counts every step of every transport, the server start, and the repeats', () => {
    const s = scenario(`${BASE}drain: 1s\ntransports: { sse: {}, websocket: {} }\n`);
    const one = plannedRun(s, s.transports, 1, SERVER);
    // connect 0.3+2, warm-up 0.2+3, measure 20, drain 1, disconnect 0.1 = 26.6 s per transport.
    expect(one.phases.map((p) => p.ms)).toEqual([26_600, 26_600]);
    expect(one.totalMs).toBe(one.startMs + 2 * 26_600);
    const three = plannedRun(s, s.transports, 3, SERVER);
    expect(three.totalMs).toBe(3 * one.totalMs);
    expect(describeWallTime(three)).toBe('~2m41s in all (2 transports × 27s + 1s to start the reference server, × 3 repeats)');
  });

  it('names each transport when their phases differ (a polling drain waits for its interval)', () => {
    const s = scenario(`${BASE}transports: { polling: { interval: 5s }, sse: {} }\n`);
    const run = plannedRun(s, s.transports, 1, SERVER);
    expect(run.phases[0]!.ms).toBeGreaterThan(run.phases[1]!.ms);
    expect(describeWallTime(run)).toMatch(/^~[\dm]+s in all \(polling \d+s, sse \d+s \+ 1s to start the reference server\)$/);
  });

  it('counts what each repeat starts, and names it', () => {
    const s = scenario(`${BASE}transports: { sse: {} }\n`);
    const starts = [...SERVER, { what: 'RabbitMQ', ms: 6_000 }, { what: 'nginx', ms: 100 }];
    const run = plannedRun(s, s.transports, 2, starts);
    expect(run.startMs).toBe(6_700);
    expect(run.totalMs).toBe(2 * (6_700 + run.phases[0]!.ms));
    expect(describeWallTime(run)).toMatch(/ \+ 7s to start the reference server, RabbitMQ and nginx, × 2 repeats\)$/);
    expect(describeWallTime(plannedRun(s, s.transports, 1, []))).toMatch(/^~\d+s in all \(sse \d+s\)$/);
  });

  it('plans only the transports selected', () => {
    const s = scenario(`${BASE}transports: { polling: {}, sse: {}, websocket: {} }\n`);
    expect(plannedRun(s, s.transports.slice(1), 1, SERVER).phases.map((p) => p.transport)).toEqual(['sse', 'websocket']);
  });
});
