/** What a split reference server refuses before it starts, and how clients are assigned to its processes. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientId, clientIndexOf, serverProcessOf } from '../../src/runner/client-ids.js';
import { ShardedControl } from '../../src/runner/sharded-control.js';
import { defaultServerProcesses } from '../../src/runner/limits.js';
import type { PublishSpec, TargetControl } from '../../src/targets/control.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { runCli, tempFiles } from '../helpers/cli.js';

/** A control that records what it was sent and answers each event with its recipients. */
function recorder(): TargetControl & { registered: string[]; published: PublishSpec[] } {
  const registered: string[] = [];
  const published: PublishSpec[] = [];
  return {
    baseUrl: 'http://127.0.0.1:1',
    registered,
    published,
    register: (ids) => Promise.resolve(void registered.push(...ids)),
    publish: (specs) => {
      published.push(...specs);
      return Promise.resolve(specs.map((spec, i) => ({ id: i + 1, recipients: spec.to === 'all' ? registered.length : spec.to.length, publishedAt: '5' })));
    },
    rooms: () => Promise.resolve(),
    reset: () => Promise.resolve(),
    resetStats: () => Promise.resolve(),
    stats: () => Promise.resolve(undefined),
    dialect: () => null,
    close: () => Promise.resolve(),
  };
}

describe('the default number of server processes', () => {
  const facts = { openFiles: { soft: 20_000, hard: 20_000 }, ephemeralPorts: { low: 32_768, high: 60_999 } };
  it('is one as long as one process can hold every client, then enough that each port takes its clients quickly', () => {
    expect(defaultServerProcesses(100, facts)).toBe(1);
    expect(defaultServerProcesses(19_936, facts)).toBe(1);
    // Past one process: 12,704 clients per port (half of 28,232 ports, 10 % spare), not 19,936 per process.
    expect(defaultServerProcesses(19_937, facts)).toBe(2);
    expect(defaultServerProcesses(30_000, facts)).toBe(3);
    expect(defaultServerProcesses(100_000, facts)).toBe(8);
  });
  it('follows a narrower open-file limit when it binds first', () => {
    expect(defaultServerProcesses(10_000, { ...facts, openFiles: { soft: 4_096, hard: 4_096 } })).toBe(3);
  });
});

describe('assigning clients to server processes', () => {
  it('is a pure function of the client index: round robin', () => {
    const first = Array.from({ length: 10 }, (_, i) => serverProcessOf(i, 3));
    expect(first).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    expect(Array.from({ length: 10 }, (_, i) => serverProcessOf(i, 3))).toEqual(first);
    expect(clientIndexOf(clientId(1234))).toBe(1234);
  });

  it('registers each client with its process only, and sends each process only the recipients it holds', async () => {
    const processes = [recorder(), recorder(), recorder()];
    const control = new ShardedControl(processes);
    await control.register(Array.from({ length: 7 }, (_, i) => clientId(i)));
    expect(processes.map((p) => p.registered)).toEqual([
      ['c0', 'c3', 'c6'],
      ['c1', 'c4'],
      ['c2', 'c5'],
    ]);
    const answers = await control.publish([
      { index: 0, to: ['c0', 'c1', 'c3'], intended: '1', payloadBytes: 10 },
      { index: 1, to: 'all', intended: '2', payloadBytes: 10 },
    ]);
    expect(processes.map((p) => p.published.map((spec) => spec.to))).toEqual([[['c0', 'c3'], 'all'], [['c1'], 'all'], ['all']]);
    expect(answers.map((a) => a.recipients)).toEqual([3, 7]);
  });
});

describe('a split server refuses what it cannot serve', () => {
  it('with a chat, network or intermediary in the scenario: a validation error', () => {
    const loaded = loadScenarioText('name: s\nserver: { processes: 2 }\nnetwork: { latency: 10ms }\ntransports: { sse: {} }\n', 's.yaml');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.errors.map((e) => e.message).join('\n')).toContain('server.processes');
  });

  it('a backplane program that is missing: exit 2 before anything runs, with the apt-get line', async () => {
    const dir = await tempFiles({
      's.yaml':
        'name: no-redis\nduration: 1s\nclients: { count: 2 }\nevents: { rate: 1/s }\nserver: { processes: 2, backplane: redis }\ntransports: { sse: {} }\n',
    });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')], { PUSH_BENCH_REDIS: '/nonexistent/redis-server' });
      expect(code).toBe(2);
      expect(stderr).toContain('apt-get install -y redis-server');
      expect(stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('--server-processes out of range: exit 2', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: s\nduration: 1s\nclients: { count: 2 }\ntransports: { sse: {} }\n' });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--server-processes', '0']);
      expect(code).toBe(2);
      expect(stderr).toContain('--server-processes "0": use a whole number from 1 to 64');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
