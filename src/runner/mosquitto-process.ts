/**
 * A real Mosquitto (Debian's mosquitto) for a run: one listener on 127.0.0.1, anonymous clients,
 * persistence in a private directory (so that persistent sessions keep what their clients missed),
 * and its $SYS figures every second, from which the run reads how many messages it holds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { freeLoopbackPort } from '../net/loopback.js';
import { findProgram, launchBroker, privateDirectory, whyMissing, type BrokerProcess } from './broker-process.js';

const MOSQUITTO_INSTALL = 'apt-get install -y mosquitto';
const PROGRAM_PATHS = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];
const READY_TIMEOUT_MS = 10_000;
/**
 * Messages kept for one persistent session while its client is away: far above what a run sends
 * one client, so that a client that comes back finds all it missed (Mosquitto's default is 1,000,
 * and QoS 0 messages are not queued at all unless asked).
 */
const MAX_QUEUED_MESSAGES = 1_000_000;

const findMosquitto = (): string => findProgram(PROGRAM_PATHS, 'Mosquitto', MOSQUITTO_INSTALL, 'PUSH_BENCH_MOSQUITTO');

/** Why Mosquitto cannot be started on this machine, or null. */
export const mosquittoMissing = (): string | null => whyMissing(findMosquitto);

export async function startMosquitto(): Promise<BrokerProcess> {
  const program = findMosquitto();
  // Mosquitto reads `listener 0` as a Unix socket, not "any port": a port is picked here and handed over.
  for (let attempt = 1; ; attempt++) {
    const directory = privateDirectory('mosquitto');
    const port = await freeLoopbackPort();
    const config = join(directory.dir, 'mosquitto.conf');
    writeFileSync(
      config,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'persistence true',
        `persistence_location ${directory.dir}/`,
        'autosave_interval 0',
        `max_queued_messages ${MAX_QUEUED_MESSAGES}`,
        'max_inflight_messages 0',
        'queue_qos0_messages true',
        'sys_interval 1',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        '',
      ].join('\n'),
    );
    const url = `mqtt://127.0.0.1:${port}`;
    try {
      return await launchBroker({
        what: 'Mosquitto',
        program,
        args: ['-c', config],
        directory,
        url,
        probe: async () => {
          const client = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2_000 });
          await client.endAsync();
        },
        readyTimeoutMs: READY_TIMEOUT_MS,
      });
    } catch (error) {
      // Another process took the port between the pick and the bind: once, a new one.
      if (attempt === 2 || !(error as Error).message.includes('Address already in use')) throw error;
    }
  }
}
