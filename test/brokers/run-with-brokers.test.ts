/**
 * `push-bench run` with broker transports, as users run it: the brokers started for the run and
 * gone after it, every message accounted for beside an HTTP transport; a broker that dies
 * mid-run reported as a failure with what was measured kept; a missing broker program refused
 * before anything starts, with the install command.
 */
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseResult } from '../../src/report/model.js';
import { mosquittoMissing, startMosquitto } from '../../src/runner/mosquitto-process.js';
import { rabbitmqMissing } from '../../src/runner/rabbitmq-process.js';
import { runCli, startCli, tempFiles, type CliRun } from '../helpers/cli.js';
import { descendants } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const skip = (rabbitmqMissing() !== null || mosquittoMissing() !== null) && !process.env.CI;
if (skip)
  console.warn(
    'SKIPPED test/brokers/run-with-brokers.test.ts: RabbitMQ or Mosquitto is missing (apt-get install -y rabbitmq-server mosquitto); CI fails without them.',
  );

const BROKER_PROGRAMS = /beam\.smp|rabbitmq-server|epmd|mosquitto/;

/** Running, not merely a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.skipIf(skip)('push-bench run with broker transports', () => {
  let dir: string | undefined;
  let run: CliRun | undefined;
  afterEach(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs amqp-get, amqp-consume and mqtt beside sse, accounts for every message, and leaves no broker behind', async () => {
    dir = await tempFiles({
      's.yaml': [
        'name: brokers',
        'duration: 3s',
        'warmup: 500ms',
        'clients: { count: 20, rampUp: 200ms, offline: { every: 3s, for: 500ms, how: close } }',
        'events: { rate: 40/s, audience: one }',
        'transports: { sse: {}, amqp-get: { interval: 200ms }, amqp-consume: { prefetch: 5 }, mqtt: { qos: 1 } }',
        '',
      ].join('\n'),
    });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--progress', 'plain']);
    const current = run;
    const seen = new Map<number, string>();
    // While it runs, the brokers are the run's children; afterwards none of them is left (other tests' brokers may run meanwhile).
    const watch = setInterval(() => {
      for (const child of descendants(current.child.pid!)) if (BROKER_PROGRAMS.test(child.cmdline)) seen.set(child.pid, child.cmdline.split(/\s/)[0]!);
    }, 200);
    const code = await current.exited;
    clearInterval(watch);
    expect(code, current.stderr()).toBe(0);
    expect([...seen.values()].some((cmd) => cmd.includes('mosquitto'))).toBe(true);
    expect([...seen.values()].some((cmd) => /beam|rabbitmq/.test(cmd))).toBe(true);
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    expect(result.transports.map((t) => t.transport)).toEqual(['amqp-get', 'sse', 'amqp-consume', 'mqtt']);
    for (const t of result.transports) {
      expect(t.events.expected, t.transport).toBeGreaterThan(50);
      expect(t.events.delivered + t.events.lost, t.transport).toBe(t.events.expected);
      expect(t.events.lost, t.transport).toBe(0);
    }
    // At least once: a message in flight when a client left is sent again on its return, and counted as a duplicate; SSE resumes exactly.
    expect(result.transports[1]!.events.duplicated).toBe(0);
    const get = result.transports[0]!;
    expect(get.requests.empty).toBeGreaterThan(0);
    for (const t of result.transports.filter((t) => t.transport !== 'sse')) {
      expect(t.brokerHeld, t.transport).toBeDefined();
      expect(t.server.cpuMs, t.transport).toBeGreaterThan(0);
      expect(t.server.rssPeakBytes, t.transport).toBeGreaterThan(1_000_000);
    }
    await waitFor(() => [...seen.keys()].every((pid) => !alive(pid)), "the run's brokers gone", 20_000);
  }, 180_000);

  it('a broker killed mid-run: the phase stops, the broker is named, what was measured is kept, and the run fails', async () => {
    dir = await tempFiles({
      's.yaml':
        'name: broker-dies\nduration: 10m\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports: { mqtt: {} }\n',
    });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--progress', 'plain']);
    const current = run;
    await waitFor(() => current.stderr().includes('mqtt: measure'), 'the mqtt phase to start measuring', 60_000);
    const broker = descendants(current.child.pid!).find((c) => /^\S*mosquitto /.test(c.cmdline));
    expect(broker).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    process.kill(broker!.pid, 'SIGKILL');
    expect(await current.exited).toBe(1);
    expect(current.stderr()).toContain(`Mosquitto (pid ${broker!.pid}) was killed by SIGKILL`);
    const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
    const mqtt = result.transports[0]!;
    expect(mqtt.warnings.map((w) => w.code)).toContain('server-died');
    expect(mqtt.events.delivered).toBeGreaterThan(0);
    expect(result.warnings.map((w) => w.code)).toContain('run-failed');
  }, 120_000);

  it('a run that fails for another reason still stops its brokers, by PID', async () => {
    dir = await tempFiles({
      's.yaml':
        'name: server-dies\nduration: 10m\nwarmup: 200ms\nclients: { count: 10, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports: { sse: {}, mqtt: {} }\n',
    });
    run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--progress', 'plain']);
    const current = run;
    // The brokers start before the first phase: Mosquitto runs while sse is measured.
    await waitFor(() => current.stderr().includes('sse: measure'), 'the sse phase to start measuring', 60_000);
    const children = descendants(current.child.pid!);
    const broker = children.find((c) => /^\S*mosquitto /.test(c.cmdline));
    const server = children.find((c) => c.cmdline.includes('server/child.js'));
    expect(broker).toBeDefined();
    process.kill(server!.pid, 'SIGKILL');
    expect(await current.exited).toBe(1);
    await waitFor(() => !alive(broker!.pid), 'the broker stopped with the run', 20_000);
  }, 120_000);

  it('--broker: runs against your own broker, starts none, and says so in the result without credentials', async () => {
    const own = await startMosquitto();
    try {
      dir = await tempFiles({
        's.yaml':
          'name: own-broker\nduration: 1s\nwarmup: 200ms\nclients: { count: 5, rampUp: 100ms }\nevents: { rate: 20/s, audience: all }\ntransports: { mqtt: {} }\n',
      });
      const url = own.url.replace('mqtt://', 'mqtt://someone:secret@');
      run = startCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--broker', url]);
      const current = run;
      let started = false;
      const watch = setInterval(() => (started ||= descendants(current.child.pid!).some((c) => /mosquitto/.test(c.cmdline))), 100);
      const code = await current.exited;
      clearInterval(watch);
      expect(code, current.stderr()).toBe(0);
      expect(started).toBe(false);
      const result = parseResult(JSON.parse(await readFile(join(dir, 'out', 'result.json'), 'utf8')));
      expect(result.brokers).toEqual([{ kind: 'mqtt', program: 'Mosquitto', url: own.url, started: false }]);
      expect(JSON.stringify(result)).not.toContain('secret');
      const mqtt = result.transports[0]!;
      expect(mqtt.events.delivered).toBe(mqtt.events.expected);
      expect(mqtt.server.cpuMs).toBeNull();
    } finally {
      await own.stop();
    }
  }, 60_000);
});

describe('a broker program that is missing', () => {
  it('is refused before anything runs, exit 2, with the install command', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: no-broker\nduration: 1s\nclients: { count: 2 }\nevents: { rate: 1/s }\ntransports: { mqtt: {} }\n' });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')], { PUSH_BENCH_MOSQUITTO: '/nonexistent/mosquitto' });
      expect(code).toBe(2);
      expect(stderr).toContain('apt-get install -y mosquitto');
      expect(stderr).toContain('--broker');
      expect(stderr).not.toMatch(/at .*\.js:\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('--broker that does not answer is refused before anything runs, exit 2', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: gone-broker\nduration: 1s\nclients: { count: 2 }\nevents: { rate: 1/s }\ntransports: { amqp-get: {} }\n' });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '--out', join(dir, 'out'), '--broker', 'amqp://127.0.0.1:1']);
      expect(code).toBe(2);
      expect(stderr).toContain('--broker amqp://127.0.0.1:1: it does not answer (ECONNREFUSED)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('--broker with a scheme no broker speaks is a usage error naming the ones it does', async () => {
    const dir = await tempFiles({ 's.yaml': 'name: bad-broker\nduration: 1s\nclients: { count: 2 }\nevents: { rate: 1/s }\ntransports: { mqtt: {} }\n' });
    try {
      const { code, stderr } = await runCli(['run', join(dir, 's.yaml'), '--broker', 'kafka://127.0.0.1:9092']);
      expect(code).toBe(2);
      expect(stderr).toContain('amqp://');
      expect(stderr).toContain('mqtt://');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
