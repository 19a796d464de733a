/**
 * The brokers push-bench starts for a run (RabbitMQ, Mosquitto), as the machine has them: on
 * loopback only, reachable by a real client, stopped by PID with everything they started, their
 * directory removed, and a death reported. Skipped only where a broker is absent and this is not
 * CI; in CI a missing broker fails here (.ci/run installs both).
 */
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'amqplib';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerProcess } from '../../src/runner/broker-process.js';
import { mosquittoMissing, startMosquitto } from '../../src/runner/mosquitto-process.js';
import { rabbitmqMissing, startRabbitmq } from '../../src/runner/rabbitmq-process.js';
import { ProcessDied } from '../../src/runner/faults.js';
import { Cleanup, waitFor } from '../transports/helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const skipRabbit = rabbitmqMissing() !== null && !process.env.CI;
const skipMosquitto = mosquittoMissing() !== null && !process.env.CI;
if (skipRabbit) console.warn(`SKIPPED RabbitMQ in test/brokers/broker-processes.test.ts: ${rabbitmqMissing()}; CI fails without it.`);
if (skipMosquitto) console.warn(`SKIPPED Mosquitto in test/brokers/broker-processes.test.ts: ${mosquittoMissing()}; CI fails without it.`);

/** The process and every process below it, from /proc. */
function killIfThere(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    for (const task of safeList(`/proc/${all[i]}/task`)) {
      const children = safeRead(`/proc/${all[i]}/task/${task}/children`).trim().split(/\s+/).filter(Boolean).map(Number);
      all.push(...children);
    }
  }
  return all;
}
const safeList = (path: string) => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};
const safeRead = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** Running, not merely a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  const stat = safeRead(`/proc/${pid}/stat`);
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Every TCP listener's local address owned by these processes (from /proc/net/tcp and their fds). */
function listeningAddresses(pids: number[]): string[] {
  const inodes = new Set<string>();
  for (const pid of pids)
    for (const fd of safeList(`/proc/${pid}/fd`)) {
      const match = /^socket:\[(\d+)\]$/.exec(safeReadLink(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    }
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6'])
    for (const line of safeRead(file).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (fields[3] === '0A' && inodes.has(fields[9]!)) addresses.push(fields[1]!);
    }
  return addresses;
}
const safeReadLink = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
};
/** 127.0.0.1 as /proc/net/tcp writes it (little-endian hex), with any port. */
const LOOPBACK_HEX = /^0100007F:[0-9A-F]{4}$/;

async function expectGone(broker: BrokerProcess, pids: number[]): Promise<void> {
  await broker.stop();
  await waitFor(() => pids.every((pid) => !alive(pid)), 'every process of the broker gone');
}

describe.skipIf(skipRabbit)('RabbitMQ started for a run', () => {
  it('accepts AMQP on loopback only, is measured with its VM, and leaves nothing behind', async () => {
    const broker = cleanup.track((b) => b.stop(), await startRabbitmq());
    expect(broker.url).toMatch(/^amqp:\/\/guest:guest@127\.0\.0\.1:\d+$/);
    const connection = await connect(broker.url);
    const channel = await connection.createChannel();
    const queue = await channel.assertQueue('', { exclusive: true });
    channel.sendToQueue(queue.queue, Buffer.from('hello'));
    await waitFor(async () => (await channel.checkQueue(queue.queue)).messageCount === 1, 'the message in its queue');
    await connection.close();

    const pids = tree(broker.pid);
    // The shell, the Erlang VM and its helpers: CPU and memory count the VM, where the work is.
    expect(pids.length).toBeGreaterThan(1);
    expect(broker.usage()!.rssBytes).toBeGreaterThan(30 * 1024 * 1024);
    const listeners = listeningAddresses(pids);
    expect(listeners.length).toBeGreaterThanOrEqual(2); // AMQP and the node's distribution port
    for (const address of listeners) expect(address).toMatch(LOOPBACK_HEX);
    const dir = readlinkSafe(broker.pid);
    await expectGone(broker, pids);
    if (dir) expect(existsSync(dir)).toBe(false);
  }, 90_000);

  it('reports a broker that dies under the run', async () => {
    const broker = cleanup.track((b) => b.stop(), await startRabbitmq());
    const pids = tree(broker.pid);
    // A helper of the VM may have ended between the listing and its kill (or with its parent): gone is what is wanted.
    for (const pid of pids) killIfThere(pid);
    await waitFor(() => broker.died.aborted, 'the death reported');
    expect(broker.died.reason).toBeInstanceOf(ProcessDied);
    expect((broker.died.reason as Error).message).toMatch(/RabbitMQ \(pid \d+\)/);
    await broker.stop();
  }, 90_000);
});

describe.skipIf(skipMosquitto)('Mosquitto started for a run', () => {
  it('accepts MQTT on loopback only and leaves nothing behind', async () => {
    const broker = cleanup.track((b) => b.stop(), await startMosquitto());
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    const client = await connectAsync(broker.url, { reconnectPeriod: 0 });
    const seen = new Promise<string>((resolve) => client.on('message', (_topic, payload) => resolve(payload.toString())));
    await client.subscribeAsync('t', { qos: 1 });
    await client.publishAsync('t', 'hello', { qos: 1 });
    expect(await seen).toBe('hello');
    await client.endAsync();
    const pids = tree(broker.pid);
    for (const address of listeningAddresses(pids)) expect(address).toMatch(LOOPBACK_HEX);
    await expectGone(broker, pids);
  }, 30_000);

  it('reports a broker that dies under the run', async () => {
    const broker = cleanup.track((b) => b.stop(), await startMosquitto());
    process.kill(broker.pid, 'SIGKILL');
    await waitFor(() => broker.died.aborted, 'the death reported');
    expect((broker.died.reason as Error).message).toMatch(/Mosquitto \(pid \d+\) .*SIGKILL/);
  }, 30_000);
});

/** The broker's private directory, from its working files (HOME for RabbitMQ); undefined when /proc cannot tell. */
function readlinkSafe(pid: number): string | undefined {
  const env = safeRead(`/proc/${pid}/environ`)
    .split('\0')
    .find((entry) => entry.startsWith('HOME='));
  return env?.slice('HOME='.length);
}
