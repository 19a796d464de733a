import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as wire from '../../src/server/wire.js';
import { clientIds, publish, register, startServer, stats, waitFor, waitForStats } from './helpers.js';
import { serverOptionsFor, startReceiver, TRANSPORT_NAMES, type Receiver } from './receivers.js';

// The server runs in this process, so its calls of the one function that serialises an
// event's shared part can be counted. (The `serialised` stats counter cannot show a fan-out
// that serialises per client: it is bumped once per published event whatever happens next.)
vi.mock(import('../../src/server/wire.js'), async (importOriginal) => {
  const original = await importOriginal();
  return { ...original, serialiseEventTail: vi.fn(original.serialiseEventTail) };
});
const serialisations = vi.mocked(wire.serialiseEventTail);

let receivers: Receiver[] = [];
beforeEach(() => serialisations.mockClear());
afterEach(() => {
  vi.restoreAllMocks();
  for (const r of receivers) r.stop();
  receivers = [];
});

describe('a broadcast is serialised once, not once per client', () => {
  it('100 streaming clients, 20 broadcasts: 20 serialisations', async () => {
    const server = await startServer();
    const ids = clientIds(100);
    await register(server, ids);
    // Half SSE, half WebSocket: the two push transports share the store's fan-out.
    receivers = await Promise.all(ids.map((id, i) => startReceiver(server, i % 2 ? 'sse' : 'websocket', id)));
    await waitForStats(server, (s) => s.clients.listening === 100, 'every client to listen');
    const body = Array.from({ length: 20 }, () => ({ to: 'all', payload: 'shared "payload" ☃' }));
    await stats(server); // warm the path so that only the broadcast runs under the spy
    const stringify = vi.spyOn(JSON, 'stringify');
    await publish(server, body);
    await waitFor(() => receivers.every((r) => r.events.length === 20), 'every client to get the 20 events');
    const calls = stringify.mock.calls.length;
    stringify.mockRestore();

    const s = await stats(server);
    expect(serialisations).toHaveBeenCalledTimes(20);
    expect(s.events).toEqual({ published: 20, serialised: 20, appended: 2000 });
    expect(s.transports.sse.eventsSent + s.transports.websocket.eventsSent).toBe(2000);
    // The test's publish body and the server's publish answer; the payload is quoted once per event.
    expect(calls).toBeLessThanOrEqual(2 + 20);
    for (const r of receivers) expect(r.events[19]!.p).toBe('shared "payload" ☃');
  });

  it.each(TRANSPORT_NAMES)('%s: polled or pushed, each event is serialised once', async (transport) => {
    const server = await startServer(await serverOptionsFor(transport));
    const ids = clientIds(20);
    await register(server, ids);
    receivers = await Promise.all(ids.map((id) => startReceiver(server, transport, id)));
    await publish(
      server,
      Array.from({ length: 5 }, () => ({ to: 'all', payloadBytes: 100 })),
    );
    await waitFor(() => receivers.every((r) => r.events.length === 5), 'every client to get the 5 events');
    expect(serialisations).toHaveBeenCalledTimes(5);
    expect((await stats(server)).events).toEqual({ published: 5, serialised: 5, appended: 100 });
  });
});
