import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/load.js';

describe('heartbeats in a scenario', () => {
  it('refuse a period under 100ms, naming the value and the fix; accept off and 100ms', () => {
    const tooFast = loadScenarioText('name: hb\ntransports:\n  sse: { heartbeat: 50ms }\n', 'hb.yaml');
    expect(tooFast.ok).toBe(false);
    expect(!tooFast.ok && tooFast.errors[0]).toMatchObject({
      path: 'transports.sse.heartbeat',
      message: '50ms is too short for a heartbeat; use at least 100ms, or "off"',
    });
    const fine = loadScenarioText('name: hb\ntransports:\n  sse: { heartbeat: 100ms }\n  websocket: { heartbeat: off }\n', 'hb.yaml');
    expect(fine.ok && fine.scenario.transports.map((plan) => plan.settings)).toEqual([{ heartbeatMs: 100 }, { heartbeatMs: null, compression: false }]);
  });
});
