/**
 * The reference server as one process or several (server.processes), with the backplane that
 * carries events between them (server.backplane): everything started for the run and stopped by
 * PID with it, nothing left running when a start fails halfway.
 */
import { randomUUID } from 'node:crypto';
import type { ServerOptionsInput } from '../server/index.js';
import type { BackplaneSpec } from '../server/backplane-link.js';
import type { Backplane } from '../scenario/server-field.js';
import { startBackplane } from './backplane-process.js';
import type { BrokerProcess } from './broker-process.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface ServerFleet {
  /** Each process's base URL, in process order: client i connects to urls[serverProcessOf(i, urls.length)]. */
  urls: string[];
  /** The first process's TLS listener (one process only: a secure transport is not sharded). */
  secureUrl?: string;
  /** The backplane server and its channel; absent for direct. */
  backplane?: { spec: BackplaneSpec; process: BrokerProcess };
  /** Aborted when any server process, or the backplane, exits unasked. */
  died: AbortSignal;
  stop(): Promise<void>;
}

export async function startServerFleet(options: ServerOptionsInput, processes: number, backplane: Backplane): Promise<ServerFleet> {
  const started: ServerProcess[] = [];
  let broker: BrokerProcess | undefined;
  const stopAll = async () => {
    await Promise.all(started.map((server) => server.stop()));
    await broker?.stop();
  };
  try {
    let spec: BackplaneSpec | undefined;
    if (backplane !== 'direct') {
      broker = await startBackplane(backplane);
      spec = { kind: backplane, url: broker.url, channel: `push-bench.${randomUUID()}` };
    }
    // One at a time: each is told the backplane and subscribed before it says ready.
    for (let p = 0; p < processes; p++) started.push(await startServerProcess({ ...options, ...(spec ? { backplane: spec } : {}) }));
    return {
      urls: started.map((server) => server.url),
      ...(started[0]!.secureUrl ? { secureUrl: started[0]!.secureUrl } : {}),
      ...(spec && broker ? { backplane: { spec, process: broker } } : {}),
      died: AbortSignal.any([...started.map((server) => server.died), ...(broker ? [broker.died] : [])]),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
