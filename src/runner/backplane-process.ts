/**
 * The backplane server of a sharded run (server.backplane: redis | nats): Debian's redis-server
 * or nats-server, started in the foreground in a private temporary directory on a loopback port,
 * awaited until a real client gets in, and stopped by PID, never as a system service.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect } from 'nats';
import { freeLoopbackPort } from '../net/loopback.js';
import type { Backplane } from '../scenario/server-field.js';
import { findProgram, launchBroker, privateDirectory, whyMissing, type BrokerLaunch, type BrokerProcess } from './broker-process.js';

const READY_TIMEOUT_MS = 10_000;

interface BackplaneProgram {
  what: string;
  /** Starting it and stopping it again, ms: an estimate for the run's planned wall time (measured on a 2-core machine). */
  startStopMs: number;
  find(): string;
  /** How to run it on `port` in `dir`, and how a client checks it is up. */
  launch(program: string, port: number, dir: string): Pick<BrokerLaunch, 'args' | 'url' | 'probe'>;
}

const PROGRAMS: Record<Exclude<Backplane, 'direct'>, BackplaneProgram> = {
  redis: {
    what: 'Redis',
    // Ready in 0.06–0.22 s, stopped in 0.07–0.1 s.
    startStopMs: 300,
    find: () => findProgram(['/usr/bin/redis-server', '/usr/local/bin/redis-server'], 'Redis', 'apt-get install -y redis-server', 'PUSH_BENCH_REDIS'),
    launch: (_program, port, dir) => {
      const url = `redis://127.0.0.1:${port}`;
      return {
        url,
        // No persistence; and no output-buffer limit for subscribers: Redis would otherwise cut a slow server process off and its events would vanish unseen.
        args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--client-output-buffer-limit', 'pubsub 0 0 0'],
        probe: async () => {
          const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
          // A refused connect while it boots is the probe's answer (connect() rejects), not an event to report.
          client.on('error', () => undefined);
          try {
            await client.connect();
            await client.ping();
          } finally {
            client.disconnect();
          }
        },
      };
    },
  },
  nats: {
    what: 'NATS',
    // Ready in 0.04–0.22 s, stopped at once.
    startStopMs: 250,
    find: () =>
      findProgram(['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'], 'NATS', 'apt-get install -y nats-server', 'PUSH_BENCH_NATS'),
    launch: (_program, port, dir) => {
      const config = join(dir, 'nats.conf');
      // A batch lists up to 50,000 recipients (~0.5 MB); a server process that reads late must not be cut off as a slow consumer.
      writeFileSync(config, [`listen: 127.0.0.1:${port}`, 'max_payload: 8MB', 'max_pending: 512MB', 'write_deadline: "60s"', ''].join('\n'));
      const url = `nats://127.0.0.1:${port}`;
      return {
        url,
        args: ['-c', config],
        probe: async () => {
          const client = await connect({ servers: url, reconnect: false, timeout: 2_000 });
          await client.close();
        },
      };
    },
  },
};

/** Why the backplane's program cannot be run here (with the apt-get line), or null; always null for direct. */
export function backplaneMissing(backplane: Backplane): string | null {
  return backplane === 'direct' ? null : whyMissing(() => PROGRAMS[backplane].find());
}

export async function startBackplane(kind: Exclude<Backplane, 'direct'>): Promise<BrokerProcess> {
  const spec = PROGRAMS[kind];
  const program = spec.find();
  for (let attempt = 1; ; attempt++) {
    const directory = privateDirectory(kind);
    const port = await freeLoopbackPort();
    try {
      return await launchBroker({ what: spec.what, program, directory, readyTimeoutMs: READY_TIMEOUT_MS, ...spec.launch(program, port, directory.dir) });
    } catch (error) {
      // Another process took the port between the pick and the bind: once, a new one.
      if (attempt === 2 || !/already in use|Address in use/i.test((error as Error).message)) throw error;
    }
  }
}

/** The backplane's program and the time it takes to start and stop, for the run's plan. */
export function backplaneStart(kind: Exclude<Backplane, 'direct'>): { what: string; ms: number } {
  return { what: PROGRAMS[kind].what, ms: PROGRAMS[kind].startStopMs };
}
