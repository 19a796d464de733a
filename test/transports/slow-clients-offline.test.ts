/**
 * A slow client that goes offline while it is still working through what it read: it asks the
 * server nothing while offline (a deferred poll waits for the return), and carries on after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';
import { transportModule } from '../../src/transports/catalog.js';
import { withConsumeLimit } from '../../src/transports/consume-gate.js';
import { Cleanup, makeContext, sleep, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function post(server: RunningServer, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe('a slow client that goes offline while it works through an answer', () => {
  it.each(['polling', 'long-polling'] as const)('%s: asks nothing while offline, and again on its return', async (transport) => {
    const server = cleanup.track((s) => s.close(), await startReferenceServer());
    await post(server, '/clients', { ids: ['c1'] });
    const module = transportModule(transport);
    const settings: unknown = module.settings.parse(transport === 'polling' ? { interval: '50ms' } : {});
    const base = makeContext(server.url, settings);
    const ctx = withConsumeLimit(base, { unit: 'events', perSecond: 5 });
    cleanup.track(() => ctx.consume?.stop(), null);
    const client = cleanup.track((c) => c.stop(), module.createClient(ctx));
    await client.start();
    const intended = String(process.hrtime.bigint());
    for (let i = 0; i < 5; i++) await post(server, '/publish', { to: ['c1'], intended, payloadBytes: 10 });
    // Each answer keeps the client busy 200 ms per event; it goes offline meanwhile.
    await waitFor(() => base.sink.seqs().length >= 1, 'the first event');
    await sleep(80); // a poll tick (every 50 ms) has come meanwhile and waits for the client
    client.goOffline('close');
    const requestsWhenLeft = base.sink.requests.length;
    await sleep(1_300);
    expect(base.sink.requests.length).toBe(requestsWhenLeft);
    // It still got through what it had read, and read nothing more.
    const seen = base.sink.seqs();
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
    client.comeBack();
    await post(server, '/publish', { to: ['c1'], intended: String(process.hrtime.bigint()), payloadBytes: 10 });
    await waitFor(() => base.sink.seqs().length >= 6, 'the event after the return');
    expect(base.sink.seqs()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
