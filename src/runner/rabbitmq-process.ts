/**
 * A real RabbitMQ (Debian's rabbitmq-server) for a run: a node of its own, named for the run, with
 * its database, logs and configuration in a private directory and every listener on 127.0.0.1.
 *
 * Erlang nodes find each other through epmd, which RabbitMQ would otherwise start as a daemon on
 * 0.0.0.0:4369 that outlives the run: so the run starts its own epmd first, in the foreground on a
 * loopback port of its own, and stops it after the broker. No plugin is enabled (no management
 * listener): what the run reads of the broker it reads over AMQP itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { freeLoopbackPort } from '../net/loopback.js';
import { findProgram, launchBroker, privateDirectory, whyMissing, type BrokerProcess } from './broker-process.js';
import { spawnProgram, stopChild } from './child-process.js';

const RABBITMQ_INSTALL = 'apt-get install -y rabbitmq-server';
/** Where Debian puts the foreground start script (the one in /usr/sbin insists on running as the rabbitmq user). */
const SERVER_PATHS = ['/usr/lib/rabbitmq/bin/rabbitmq-server'];
const EPMD_PATHS = ['/usr/bin/epmd', '/usr/lib/erlang/bin/epmd'];
/** RabbitMQ boots in about 5 s here; a loaded CI machine may take several times that. */
const READY_TIMEOUT_MS = 60_000;
/** A graceful stop flushes queues to disk; a few seconds, more under load. */
const STOP_GRACE_MS = 15_000;

/** The programs to run: the broker's start script and epmd. */
function programs(): { program: string; epmdProgram: string } {
  return {
    program: findProgram(SERVER_PATHS, 'RabbitMQ', RABBITMQ_INSTALL, 'PUSH_BENCH_RABBITMQ'),
    epmdProgram: findProgram(EPMD_PATHS, "RabbitMQ's epmd", RABBITMQ_INSTALL, 'PUSH_BENCH_EPMD'),
  };
}

/** Why RabbitMQ cannot be started on this machine, or null. */
export const rabbitmqMissing = (): string | null => whyMissing(programs);

export async function startRabbitmq(): Promise<BrokerProcess> {
  const { program, epmdProgram } = programs();
  const directory = privateDirectory('rabbitmq');
  const [amqpPort, distPort, epmdPort] = await distinctFreePorts(3);
  const epmd = spawnProgram(epmdProgram, ['-port', String(epmdPort), '-address', '127.0.0.1']);
  try {
    const { dir } = directory;
    writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
    writeFileSync(join(dir, 'rabbitmq.conf'), '');
    writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
    const node = `push-bench-${randomBytes(4).toString('hex')}@localhost`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      // The node's distribution listener on loopback too (it binds every address otherwise).
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    };
    const url = `amqp://guest:guest@127.0.0.1:${amqpPort}`;
    return await launchBroker({
      what: 'RabbitMQ',
      program,
      args: [],
      env,
      directory,
      url,
      probe: async () => {
        const connection = await connect(url, { timeout: 2_000 });
        await connection.close();
      },
      readyTimeoutMs: READY_TIMEOUT_MS,
      lastWords: () => logTail(join(dir, 'log', `${node}.log`)),
      companions: [epmd],
      stopGraceMs: STOP_GRACE_MS,
    });
  } catch (error) {
    // launchBroker stops the companions and removes the directory itself once it has them; before that, here.
    await stopChild(epmd);
    directory.remove();
    throw error;
  }
}

/** `count` free loopback ports, all different (a port just released may be handed out again at once). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeLoopbackPort());
  return [...ports];
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    return '';
  }
}
