import { connect as connectH2, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { get } from 'node:https';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificate, type RunCertificate } from '../../src/tool/certificate.js';
import type { RunningServer, StatsSnapshot } from '../../src/server/index.js';
import { startServer, waitFor } from './helpers.js';

let pem: RunCertificate;
let agent: Agent;
const sessions: ClientHttp2Session[] = [];

beforeAll(async () => {
  pem = await generateCertificate({ hosts: ['127.0.0.1', 'localhost'], days: 1 });
  // HTTP/1.1 over TLS (undici speaks h2 only when asked), trusting the run's CA and nothing else.
  agent = new Agent({ connect: { ca: pem.ca } });
});
afterAll(() => agent.close());
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

async function startTlsServer(): Promise<RunningServer> {
  return startServer({ tls: { key: pem.key, cert: pem.cert } });
}

async function call(server: RunningServer, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await request(`${server.secureUrl!}${path}`, {
    dispatcher: agent,
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
}

async function stats(server: RunningServer): Promise<StatsSnapshot> {
  return (await call(server, 'GET', '/stats')).json as StatsSnapshot;
}

/** An SSE stream over HTTP/2: its response head and the text received so far. */
async function openSse(session: ClientHttp2Session, path: string): Promise<{ headers: IncomingHttpHeaders; text: () => string }> {
  const stream = session.request({ ':path': path, accept: 'text/event-stream' });
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  stream.on('error', () => undefined);
  const [headers] = (await once(stream, 'response')) as [IncomingHttpHeaders];
  return { headers, text: () => text };
}

/** An HTTP/2 session over a TCP socket the test holds, so that it can read the bytes on the wire. */
async function h2OverOwnSocket(server: RunningServer): Promise<{ session: ClientHttp2Session; tcp: Socket; tls: TLSSocket }> {
  const tcp = connectTcp(Number(new URL(server.secureUrl!).port), '127.0.0.1');
  await once(tcp, 'connect');
  const tls = connectTls({ socket: tcp, host: '127.0.0.1', ca: pem.ca, ALPNProtocols: ['h2'] });
  await once(tls, 'secureConnect');
  const session = connectH2(server.secureUrl!, { createConnection: () => tls });
  sessions.push(session);
  return { session, tcp, tls };
}

describe('the reference server over TLS', () => {
  it('serves SSE over HTTP/2 to a client that trusts the run CA, without HTTP/1-only headers', async () => {
    const server = await startTlsServer();
    expect(server.secureUrl!).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await call(server, 'POST', '/clients', { ids: ['a'] })).status).toBe(200);
    const session = connectH2(server.secureUrl!, { ca: pem.ca });
    sessions.push(session);
    const sse = await openSse(session, '/sse?client=a');
    expect(sse.headers[':status']).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream');
    expect(sse.headers.connection).toBeUndefined();
    expect((await call(server, 'POST', '/publish', [{ to: ['a'], payloadBytes: 10 }])).status).toBe(200);
    await waitFor(() => sse.text().includes('id: 1\ndata: {"seq":1,'), 'the event over HTTP/2');
    const s = await stats(server);
    expect(s.transports['sse-h2'].open).toBe(1);
    expect(s.transports['sse-h2'].eventsSent).toBe(1);
  });

  it('still answers HTTP/1.1 on the same port: a poll, and a WebSocket upgrade', async () => {
    const server = await startTlsServer();
    await call(server, 'POST', '/clients', { ids: ['p', 'w'] });
    await call(server, 'POST', '/publish', [{ to: 'all', payloadBytes: 5 }]);
    const version = await new Promise<string>((resolve, reject) => {
      get(`${server.secureUrl!}/poll?client=p&after=0`, { ca: pem.ca }, (res) => {
        res.resume();
        resolve(`${res.httpVersion} ${res.statusCode}`);
      }).on('error', reject);
    });
    expect(version).toBe('1.1 200');
    const poll = await call(server, 'GET', '/poll?client=p&after=0');
    expect(poll.status).toBe(200);
    expect((poll.json as { events: Array<{ seq: number }> }).events.map((e) => e.seq)).toEqual([1]);

    const ws = new WebSocket(`${server.secureUrl!.replace('https', 'wss')}/ws?client=w`, { ca: pem.ca });
    const [data] = (await once(ws, 'message')) as [Buffer];
    expect((JSON.parse(data.toString()) as { seq: number }).seq).toBe(1);
    ws.close();
  });

  it('counts the bytes on the wire (TLS records, HTTP/2 frames) on the channel of the stream', async () => {
    const server = await startTlsServer();
    await call(server, 'POST', '/clients', { ids: ['b'] });
    const { session, tcp, tls } = await h2OverOwnSocket(server);
    const sse = await openSse(session, '/sse?client=b');
    // A control request on the same session after the stream: the session stays the stream's.
    const health = session.request({ ':path': '/health' });
    health.resume();
    await once(health, 'end');
    await call(server, 'POST', '/publish', [{ to: ['b'], payloadBytes: 2000 }]);
    await call(server, 'POST', '/publish', [{ to: ['b'], payloadBytes: 2000 }]);
    await waitFor(() => sse.text().includes('id: 2\n'), 'both events');
    // Everything the server wrote on that socket, and everything it read, is counted for sse.
    const s = await waitFor(async () => {
      const x = await stats(server);
      return x.transports['sse-h2'].bytesWritten === tcp.bytesRead && x.transports['sse-h2'].bytesRead === tcp.bytesWritten ? x : undefined;
    }, 'sse bytes to match the client socket');
    expect(s.transports['sse-h2'].bytesWritten).toBeGreaterThan(4000);
    // What crossed the wire exceeds the plaintext HTTP/2 frames by the TLS records and handshake.
    expect(tcp.bytesRead).toBeGreaterThan(tls.bytesRead);
    expect(s.transports['sse-h2'].sockets).toBe(1);
    // close() would wait for the endless stream; the peer going away is what a run's end looks like.
    session.destroy();
    await waitFor(async () => (await stats(server)).transports['sse-h2'].sockets === 0, 'the socket to close');
    const after = await stats(server);
    expect(after.transports['sse-h2'].bytesWritten).toBeGreaterThanOrEqual(s.transports['sse-h2'].bytesWritten);
    expect(after.transports['sse-h2'].open).toBe(0);
  });

  it('counts a heartbeat as its TLS record on the wire, over HTTP/2 and over HTTP/1.1', async () => {
    const server = await startTlsServer();
    await call(server, 'POST', '/clients', { ids: ['h2', 'h1'] });
    const session = connectH2(server.secureUrl!, { ca: pem.ca });
    sessions.push(session);
    const sse = await openSse(session, '/sse?client=h2&heartbeat=100');
    await waitFor(() => sse.text().split(': hb').length > 3, 'heartbeats over HTTP/2');
    const h2 = (await stats(server)).transports['sse-h2'];
    // ": hb\n\n" (6 B) in a DATA frame (9 B header) in a TLS 1.3 record (5 B header, 1 B type, 16 B AEAD tag).
    expect(h2.heartbeats).toBeGreaterThanOrEqual(2);
    expect(h2.heartbeatBytes).toBe(h2.heartbeats * (6 + 9 + 22));
    session.destroy();

    await call(server, 'POST', '/stats/reset', {});
    const res = await request(`${server.secureUrl!}/sse?client=h1&heartbeat=100`, { dispatcher: agent });
    let text = '';
    res.body.setEncoding('utf8');
    res.body.on('data', (chunk: string) => (text += chunk));
    await waitFor(() => text.split(': hb').length > 3, 'heartbeats over HTTP/1.1');
    const h1 = (await stats(server)).transports['sse-h2'];
    // The same text in an HTTP/1.1 chunk ("6\r\n" … "\r\n": 5 B) in a TLS record.
    expect(h1.heartbeats).toBeGreaterThanOrEqual(2);
    expect(h1.heartbeatBytes).toBe(h1.heartbeats * (6 + 5 + 22));
    res.body.destroy();
  });

  it('refuses a client that does not trust the run CA', async () => {
    const server = await startTlsServer();
    const session = connectH2(server.secureUrl!);
    sessions.push(session);
    const [err] = (await once(session, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
  });

  it('rejects a tls option that is not PEM', async () => {
    await expect(startServer({ tls: { key: 'nope', cert: pem.cert } })).rejects.toThrow(/server option tls must be \{ key, cert \}/);
  });
});
