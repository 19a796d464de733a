/** Settings that cannot keep a connection through an intermediary that cuts silent ones are warned about, located. */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';

function warnings(intermediary: string, transports: string): string[] {
  const yaml = `name: t\nevents: { rate: 200/s }\nintermediary: ${intermediary}\ntransports:\n${transports}`;
  const loaded = loadScenarioText(yaml, 'idle.yaml');
  expect(loaded.ok).toBe(true);
  return loaded.warnings.map(formatProblem);
}

describe('heartbeats and held requests against an idle cut', () => {
  it('warns of a heartbeat at or above the idle timeout, at the heartbeat', () => {
    const [warning, ...rest] = warnings(
      '{ idleTimeout: 15s }',
      '  sse: { heartbeat: 20s }\n  http-stream: { heartbeat: 15s }\n  websocket: { heartbeat: 15s }\n',
    );
    expect(warning).toContain('idle.yaml:5:21');
    expect(warning).toContain('transports.sse.heartbeat: a heartbeat every 20s does not keep a connection');
    expect(rest).toHaveLength(2);
    expect(rest[0]).toContain('idle.yaml:6:29');
    expect(rest[0]).toContain('transports.http-stream.heartbeat');
    expect(rest[1]).toContain('transports.websocket.heartbeat');
  });

  it("warns of a long poll held as long as nginx's read timeout, at the timeout", () => {
    const [warning, ...rest] = warnings('{ nginx: { readTimeout: 20s } }', '  long-polling: { timeout: 25s }\n');
    expect(warning).toContain('idle.yaml:5:28');
    expect(warning).toContain('cut by the intermediary after 20s of silence');
    expect(rest).toEqual([]);
  });

  it('says nothing of settings that keep the connection, nor of a heartbeat left off', () => {
    expect(
      warnings(
        '{ idleTimeout: 15s }',
        '  long-polling: { timeout: 10s }\n  sse: { heartbeat: off }\n  http-stream: { heartbeat: 14s }\n  websocket: { heartbeat: 5s }\n',
      ),
    ).toEqual([]);
  });
});
