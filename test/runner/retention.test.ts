import { describe, expect, it } from 'vitest';
import { retentionFor } from '../../src/runner/retention.js';
import { DEFAULT_RETENTION } from '../../src/server/options.js';
import { scenarioOf } from '../helpers/run.js';

const scenario = (yaml: string) => scenarioOf(`name: r\nduration: 5s\n${yaml.includes('clients:') ? '' : 'clients: { count: 10 }\n'}${yaml}`, 'r.yaml');

describe('retention sized to the scenario', () => {
  it('keeps events 30 s past what the transports hold them for by design', () => {
    expect(retentionFor(scenario('transports: { sse: {}, websocket: {} }'))).toEqual({ ...DEFAULT_RETENTION, maxAgeMs: 30_000 });
    // A poll interval of 20 s: events wait up to one interval for their client, twice over.
    expect(retentionFor(scenario('transports: { polling: { interval: 20s }, sse: {} }')).maxAgeMs).toBe(70_000);
    expect(retentionFor(scenario('drain: 10s\ntransports: { sse: {} }')).maxAgeMs).toBe(50_000);
  });

  it('never passes the default', () => {
    expect(retentionFor(scenario('transports: { polling: { interval: 5m } }'))).toEqual(DEFAULT_RETENTION);
  });

  it.each([
    ['clients that go offline', 'clients: { count: 10, offline: { every: 9s, for: 2s, how: close } }\ntransports: { sse: {} }'],
    ['slow clients', 'clients: { count: 10, consume: 5/s, slow: 10% }\ntransports: { sse: {} }'],
    ['a shaped link', 'network: 4g\ntransports: { sse: {} }'],
    ['a proxy', 'intermediary: { idleTimeout: 15s }\ntransports: { sse: {} }'],
  ])('keeps the default for %s: the store is their buffer, and what it drops is measured', (_, yaml) => {
    expect(retentionFor(scenario(yaml))).toEqual(DEFAULT_RETENTION);
  });
});
