/** What `run --segment` refuses before anything runs: exit 2 with the fix, never a half-aligned run. */
import { describe, expect, it } from 'vitest';
import { checkSegmentable, parseSegmentFlags } from '../../src/cli/segment-checks.js';
import { checkMachine } from '../../src/cli/run-checks.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runCli, tempFiles } from '../helpers/cli.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');

function scenario(extra = '') {
  const loaded = loadScenarioText(
    `name: s\nduration: 2s\nclients: { count: 10 }\nevents: { rate: 5/s }\ntransports: { sse: {}, websocket: {} }\n${extra}`,
    's.yaml',
  );
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  return loaded.scenario;
}

describe('parseSegmentFlags', () => {
  it('reads a segment and its agreed start', () => {
    expect(parseSegmentFlags({ segment: '3/4', startAt: '2026-11-29T12:01:00Z' }, NOW)).toEqual({ spec: { index: 3, count: 4 }, startAtMs: NOW + 60_000 });
    expect(parseSegmentFlags({}, NOW)).toBeUndefined();
  });

  it.each([
    [{ segment: '5/4', startAt: '2026-11-29T12:01:00Z' }, '1 ≤ I ≤ N'],
    [{ segment: '2/4' }, '--segment needs --start-at TIME'],
    [{ segment: '2/4', startAt: 'tomorrow' }, 'ISO 8601'],
    [{ segment: '2/4', startAt: '2026-11-29T12:01:00' }, 'with its zone'],
    [{ segment: '2/4', startAt: '2026-11-29T11:59:00Z' }, '60.0 s in the past'],
    [{ segment: '2/4', startAt: '2026-12-01T12:00:00Z' }, 'more than 24 hours ahead'],
    [{ startAt: '2026-11-29T12:01:00Z' }, '--start-at belongs to a segment'],
  ])('refuses %j', (flags, message) => {
    expect(() => parseSegmentFlags(flags, NOW)).toThrow(message);
  });
});

describe('checkSegmentable', () => {
  const one = (s: ReturnType<typeof scenario>) => s.transports.slice(0, 1);

  it('needs one shared server that speaks the wire contract', () => {
    expect(() => checkSegmentable(scenario(), one(scenario()), { targets: 0, adapter: undefined, repeat: 1 })).toThrow('add --target http://HOST:PORT');
    expect(() => checkSegmentable(scenario(), one(scenario()), { targets: 1, adapter: 'nchan', repeat: 1 })).toThrow('speaks nchan');
    expect(() => checkSegmentable(scenario(), one(scenario()), { targets: 1, adapter: 'contract', repeat: 1 })).not.toThrow();
  });

  it('measures one transport, once, of a scenario it can merge exactly', () => {
    const s = scenario();
    expect(() => checkSegmentable(s, s.transports, { targets: 1, adapter: 'contract', repeat: 1 })).toThrow('add --transports with one of sse, websocket');
    expect(() => checkSegmentable(s, one(s), { targets: 1, adapter: 'contract', repeat: 3 })).toThrow('--repeat');
    const shaped = scenario('network: { latency: 20ms }\n');
    expect(() => checkSegmentable(shaped, one(shaped), { targets: 1, adapter: 'contract', repeat: 1 })).toThrow('sets network');
  });
});

describe('the machine check of a segment', () => {
  it("is of the segment's own clients: a fleet too big for one machine fits in four", () => {
    const big = loadScenarioText(
      'name: big\nduration: 10s\nclients: { count: 40000, rampUp: 40s }\nevents: { rate: 5/s }\ntransports: { websocket: {} }\n',
      'big.yaml',
    );
    if (!big.ok) throw new Error('scenario');
    expect(checkMachine(big.scenario, 1, undefined, '10.0.0.5').problems).not.toEqual([]);
    expect(checkMachine(big.scenario, 1, undefined, '10.0.0.5', undefined, { clients: 10_000 }).problems).toEqual([]);
  });
});

describe('push-bench run --segment on the command line', () => {
  it('exits 2 with the fix, not a stack trace', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: s\nduration: 2s\nclients: { count: 10 }\nevents: { rate: 5/s }\ntransports: { sse: {} }\n' });
    const startAt = new Date(Date.now() + 600_000).toISOString();
    const { code, stderr } = await runCli(['run', 's.yaml', '--segment', '2/4', '--start-at', startAt], {}, dir);
    expect(code).toBe(2);
    expect(stderr).toContain('--segment: the segments must share one server: add --target');
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  }, 30_000);
});
