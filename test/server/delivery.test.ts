import { afterEach, describe, expect, it } from 'vitest';
import { clientIds, expectContiguous, publish, register, startServer, waitFor, waitForStats } from './helpers.js';
import { serverOptionsFor, startReceiver, TRANSPORT_NAMES, type Receiver } from './receivers.js';

const CLIENTS = 50;
const EVENTS = 200;
const BATCH = 20;
const PAYLOAD = 64;

let receivers: Receiver[] = [];
afterEach(() => {
  for (const r of receivers) r.stop();
  receivers = [];
});

describe.each(TRANSPORT_NAMES)('%s delivers every event exactly once, in order', (transport) => {
  it.each(['all', 'one'] as const)(`to ${CLIENTS} clients, ${EVENTS} events, audience %s`, async (audience) => {
    const server = await startServer(await serverOptionsFor(transport));
    const ids = clientIds(CLIENTS);
    await register(server, ids);
    receivers = await Promise.all(ids.map((id) => startReceiver(server, transport, id)));
    if (transport !== 'polling') {
      // Streams and held long polls are subscribed before anything is published.
      await waitForStats(server, (s) => s.clients.listening === CLIENTS, 'every client to listen');
    }

    const intended = new Map<number, string>();
    for (let first = 0; first < EVENTS; first += BATCH) {
      const specs = Array.from({ length: BATCH }, (_, i) => {
        const n = first + i; // 0-based event number
        return {
          to: audience === 'all' ? 'all' : [ids[n % CLIENTS]],
          intended: (process.hrtime.bigint() - BigInt(n)).toString(),
          payloadBytes: PAYLOAD,
        };
      });
      const published = (await publish(server, specs)) as Array<{ id: number; recipients: number }>;
      published.forEach((p, i) => {
        expect(p.recipients).toBe(audience === 'all' ? CLIENTS : 1);
        intended.set(p.id, specs[i]!.intended);
      });
    }

    const perClient = audience === 'all' ? EVENTS : EVENTS / CLIENTS;
    await waitFor(() => receivers.every((r) => r.events.length >= perClient), 'every client to receive its events');
    receivers.forEach((r, c) => {
      const eventIds = expectContiguous(r.events, perClient);
      const expected = audience === 'all' ? Array.from({ length: EVENTS }, (_, i) => i + 1) : Array.from({ length: perClient }, (_, k) => c + 1 + k * CLIENTS);
      expect(eventIds).toEqual(expected);
      expect(r.gaps).toEqual([]);
      for (const e of r.events) {
        expect(e.t).toBe(intended.get(e.id));
        expect(e.p).toHaveLength(PAYLOAD);
      }
    });
  });
});
