/**
 * The fleet at small N, through real client processes (forked from dist/, which the global
 * setup compiles from the current sources): events
 * of clients split over two processes are counted exactly once and their histograms merge
 * exactly; clients spread round-robin over several loopback source addresses.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeEncoded } from '../../src/metrics/histogram.js';
import { ClientFleet } from '../../src/runner/client-fleet.js';
import { clientId } from '../../src/runner/client-ids.js';
import { ControlApi } from '../../src/targets/contract/control.js';
import { servedModules, transportModule, type TransportPlan } from '../../src/transports/catalog.js';
import { serverOptionsFor, testCertificate } from '../helpers/tls.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { sleep, waitFor } from '../helpers/wait.js';

const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const CLIENTS = 12;
const BROADCASTS = 5;

/** A TCP forwarder in front of the server that notes each connection's source address. */
async function startForwarder(targetPort: number): Promise<{ server: Server; port: number; sources: string[]; sockets: Set<Socket> }> {
  const sources: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sources.push(socket.remoteAddress ?? '?');
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.once('close', () => sockets.delete(s));
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, sources, sockets };
}

/** Every transport of the catalog with its defaults, short polling at a pace that fits the test. */
const plans = servedModules().map(
  (module) => ({ name: module.name, settings: module.settings.parse(module.name === 'polling' ? { interval: '100ms' } : {}) as unknown }) as TransportPlan,
);

describe.runIf(process.platform === 'linux')('a sharded fleet over several source addresses', () => {
  let server: RunningServer;
  let api: ControlApi;
  let forwarder: Awaited<ReturnType<typeof startForwarder>>;
  /** In front of the TLS listener, for sse-h2: TLS passes through it untouched. */
  let tlsForwarder: Awaited<ReturnType<typeof startForwarder>>;

  beforeAll(async () => {
    server = await startReferenceServer({ host: '127.0.0.1', port: 0, ...(await serverOptionsFor('sse-h2')) });
    api = new ControlApi(server.url);
    forwarder = await startForwarder(server.port);
    tlsForwarder = await startForwarder(Number(new URL(server.secureUrl!).port));
  });

  afterAll(async () => {
    for (const f of [forwarder, tlsForwarder]) {
      for (const socket of f.sockets) socket.destroy();
      await new Promise((resolve) => f.server.close(resolve));
    }
    await api.close();
    await server.close();
  });

  it.each(plans)(
    '$name: two processes, three addresses, every event counted once',
    async (plan) => {
      const secure = transportModule(plan.name).server?.secure === true;
      const front = secure ? tlsForwarder : forwarder;
      front.sources.length = 0;
      await api.reset();
      await api.register(Array.from({ length: CLIENTS }, (_, i) => clientId(i)));
      const fleet = new ClientFleet({
        baseUrl: `http://127.0.0.1:${forwarder.port}`,
        plan,
        clientCount: CLIENTS,
        shards: 2,
        rampUpMs: 100,
        seed: 1,
        localAddresses: ADDRESSES,
        ...(secure ? { tls: { baseUrl: `https://127.0.0.1:${tlsForwarder.port}`, ca: (await testCertificate()).ca } } : {}),
      });
      try {
        expect(await fleet.connect()).toEqual({ connected: CLIENTS, failed: 0 });
        expect(fleet.pids).toHaveLength(2);
        const now = process.hrtime.bigint();
        await fleet.setWindow(now, now + 60_000_000_000n);
        await fleet.mark('start');
        for (let i = 0; i < BROADCASTS; i++) {
          await api.publish([{ index: i, to: 'all', intended: process.hrtime.bigint().toString(), payloadBytes: 10 }]);
          await sleep(20); // pacing: separate broadcasts, as a schedule would send them
        }
        // Each shard reports its in-window deliveries every PROGRESS_INTERVAL_MS: wait until all have arrived.
        await waitFor(() => fleet.progress().delivered === CLIENTS * BROADCASTS, `${CLIENTS * BROADCASTS} deliveries`, 10_000);
        await fleet.mark('end');
        const report = await fleet.stop();

        const { snapshot } = report;
        expect(report.lost).toEqual([]);
        expect(snapshot.clients).toBe(CLIENTS);
        expect(snapshot.usage.processes).toBe(2);
        expect(snapshot.deliveries).toMatchObject({ delivered: CLIENTS * BROADCASTS, duplicated: 0, reordered: 0, gapReported: 0 });
        expect(summarizeEncoded(snapshot.latency).count).toBe(CLIENTS * BROADCASTS);
        expect(summarizeEncoded(snapshot.connect).count).toBe(CLIENTS);
        // Round-robin by global client index: 4 clients on each address (long polling may reconnect, never fewer).
        for (const address of ADDRESSES) expect(front.sources.filter((s) => s === address).length).toBeGreaterThanOrEqual(CLIENTS / ADDRESSES.length);
        expect(new Set(front.sources)).toEqual(new Set(ADDRESSES));
      } finally {
        await fleet.kill();
      }
    },
    30_000,
  );
});
