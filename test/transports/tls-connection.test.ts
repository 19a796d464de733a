import type { Socket } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer, type StatsSnapshot } from '../../src/server/index.js';
import { generateCertificate, type RunCertificate } from '../../src/tool/certificate.js';
import { meteredTlsConnector } from '../../src/transports/http-connection.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import { waitFor } from '../helpers/wait.js';

let pem: RunCertificate;
const closers: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  pem = await generateCertificate({ hosts: ['127.0.0.1'], days: 1 });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function tlsServer(): Promise<RunningServer> {
  const server = await startReferenceServer({ tls: { key: pem.key, cert: pem.cert }, autoRegister: true });
  closers.push(() => server.close());
  return server;
}

function client(server: RunningServer, options: ConstructorParameters<typeof Client>[1]): Client {
  const c = new Client(server.secureUrl!, options);
  closers.push(() => c.destroy());
  return c;
}

async function json(c: Client, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const res = await c.request({ method, path, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return JSON.parse(await res.body.text()) as unknown;
}

/** An SSE stream dispatched on `c`: the text so far, and the controller that cancels this stream alone. */
function sse(c: Client, path: string): { text: () => string; controller: () => Dispatcher.DispatchController | undefined } {
  let text = '';
  let controller: Dispatcher.DispatchController | undefined;
  c.dispatch(
    { method: 'GET', path },
    {
      onRequestStart: (ctl) => (controller = ctl),
      onResponseData: (_ctl, chunk) => (text += chunk.toString()),
      onResponseError: () => undefined,
    },
  );
  return { text: () => text, controller: () => controller };
}

describe('meteredTlsConnector', () => {
  it('multiplexes SSE streams on one HTTP/2 connection, metering the TLS bytes the server counts', async () => {
    const server = await tlsServer();
    // The control connection is HTTP/1.1 over TLS, metered apart.
    const control = client(server, { connect: meteredTlsConnector(new SocketMeter(), { ca: pem.ca, allowH2: false }) });
    const meter = new SocketMeter();
    const connected: Socket[] = [];
    // undici runs at most `pipelining` HTTP/2 streams at once: with 1, the second stream waits for the first to end.
    const h2 = client(server, { allowH2: true, pipelining: 3, connect: meteredTlsConnector(meter, { ca: pem.ca, allowH2: true }, (s) => connected.push(s)) });
    const streams = ['a', 'b', 'c'].map((id) => sse(h2, `/sse?client=${id}`));
    const stats = async (): Promise<StatsSnapshot> => (await json(control, 'GET', '/stats')) as StatsSnapshot;
    await waitFor(async () => (await stats()).transports['sse-h2'].open === 3, 'three streams open');
    await json(control, 'POST', '/publish', [{ to: 'all', payloadBytes: 300 }]);
    await waitFor(() => streams.every((s) => s.text().includes('id: 1\n')), 'the event on every stream');
    expect(meter.trackedSockets).toBe(1);
    expect(connected).toHaveLength(1);
    const s = await waitFor(async () => {
      const x = await stats();
      const wire = meter.snapshot();
      return x.transports['sse-h2'].bytesWritten === wire.down && x.transports['sse-h2'].bytesRead === wire.up ? x : undefined;
    }, 'client and server to count the same bytes');
    // Three events of 300 B, with their HTTP/2 frames, TLS records and the handshake.
    expect(s.transports['sse-h2'].bytesWritten).toBeGreaterThan(900 + 500);

    // Cancelling one stream (RST_STREAM) leaves the connection and the other streams.
    streams[0]!.controller()!.abort(new Error('offline'));
    await waitFor(async () => (await stats()).transports['sse-h2'].open === 2, 'one stream closed');
    expect(meter.openSockets).toBe(1);
    await json(control, 'POST', '/publish', [{ to: 'all', payloadBytes: 10 }]);
    await waitFor(() => streams.slice(1).every((st) => st.text().includes('id: 2\n')), 'the others still receive');
  });

  it('refuses a server whose certificate the given CA did not sign', async () => {
    const server = await tlsServer();
    const other = await generateCertificate({ hosts: ['127.0.0.1'], days: 1 });
    const c = client(server, { connect: meteredTlsConnector(new SocketMeter(), { ca: other.ca, allowH2: true }) });
    await expect(c.request({ method: 'GET', path: '/health' })).rejects.toThrow(/certificate|signature/i);
  });
});
