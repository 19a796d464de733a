import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../src/server/index.js';
import type { ErrorBody, ErrorCode } from '../../src/server/errors.js';
import { getJson, postJson, register, startServer, stats, waitFor, type JsonAnswer } from './helpers.js';

async function expectError(res: Promise<JsonAnswer>, status: number, error: ErrorCode, parameter?: string): Promise<void> {
  const { status: actual, json } = await res;
  const body = json as ErrorBody | undefined;
  expect({ status: actual, error: body?.error, parameter: body?.parameter }).toEqual({ status, error, parameter });
  expect(typeof body?.message).toBe('string');
}

describe('bad requests get their status and a JSON error naming the parameter', () => {
  it('paths, methods, parameters', async () => {
    const server = await startServer();
    const u = server.url;
    await register(server, ['a']);
    await expectError(getJson(`${u}/nope`), 404, 'not_found');
    await expectError(getJson(`${u}/publish`), 405, 'method_not_allowed');
    expect((await fetch(`${u}/publish`)).headers.get('allow')).toBe('POST');
    await expectError(postJson(`${u}/poll?client=a`, {}), 405, 'method_not_allowed');
    await expectError(getJson(`${u}/poll`), 400, 'bad_parameter', 'client');
    await expectError(getJson(`${u}/poll?client=`), 400, 'bad_parameter', 'client');
    await expectError(getJson(`${u}/poll?client=a%20b`), 400, 'bad_parameter', 'client');
    await expectError(getJson(`${u}/poll?client=${'x'.repeat(65)}`), 400, 'bad_parameter', 'client');
    await expectError(getJson(`${u}/poll?client=a&client=b`), 400, 'bad_parameter', 'client');
    await expectError(getJson(`${u}/poll?client=zz`), 404, 'unknown_client', 'client');
    await expectError(getJson(`${u}/poll?client=a&after=-1`), 400, 'bad_parameter', 'after');
    await expectError(getJson(`${u}/poll?client=a&after=1.5`), 400, 'bad_parameter', 'after');
    await expectError(getJson(`${u}/poll?client=a&after=abc`), 400, 'bad_parameter', 'after');
    await expectError(getJson(`${u}/poll?client=a&after=99999999999999999999`), 400, 'bad_parameter', 'after');
    await expectError(getJson(`${u}/poll?client=a&after=3`), 400, 'bad_parameter', 'after'); // ahead of seq 0
    await expectError(getJson(`${u}/long-poll?client=a&timeout=120001`), 400, 'bad_parameter', 'timeout');
    await expectError(getJson(`${u}/long-poll?client=a&timeout=x`), 400, 'bad_parameter', 'timeout');
    await expectError(getJson(`${u}/sse?client=a&heartbeat=-5`), 400, 'bad_parameter', 'heartbeat');
    await expectError(getJson(`${u}/sse?client=zz`), 404, 'unknown_client', 'client');
    const lastEventId = await fetch(`${u}/sse?client=a`, { headers: { 'Last-Event-ID': 'x1' } });
    expect(lastEventId.status).toBe(400);
    expect(((await lastEventId.json()) as ErrorBody).parameter).toBe('Last-Event-ID');
    const plainWs = await fetch(`${u}/ws?client=a`);
    expect(plainWs.status).toBe(426);
    expect(((await plainWs.json()) as ErrorBody).error).toBe('upgrade_required');
    expect((await getJson(`${u}/health`)).json).toEqual({ ok: true });
  });

  it('publish and register bodies', async () => {
    const server = await startServer();
    const u = server.url;
    await register(server, ['a']);
    const badJson = await fetch(`${u}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as ErrorBody).error).toBe('bad_json');
    await expectError(postJson(`${u}/publish`, []), 400, 'bad_parameter', 'body');
    await expectError(postJson(`${u}/publish`, 7), 400, 'bad_parameter', 'body');
    await expectError(postJson(`${u}/publish`, { payloadBytes: 1 }), 400, 'bad_parameter', 'to');
    await expectError(postJson(`${u}/publish`, { to: 'some' }), 400, 'bad_parameter', 'to');
    await expectError(postJson(`${u}/publish`, { to: ['a', 'b!'] }), 400, 'bad_parameter', 'to');
    await expectError(postJson(`${u}/publish`, { to: ['zz'] }), 404, 'unknown_client', 'to');
    await expectError(postJson(`${u}/publish`, { to: 'all', intended: 123 }), 400, 'bad_parameter', 'intended');
    await expectError(postJson(`${u}/publish`, { to: 'all', payloadBytes: -1 }), 400, 'bad_parameter', 'payloadBytes');
    await expectError(postJson(`${u}/publish`, { to: 'all', payload: 5 }), 400, 'bad_parameter', 'payload');
    await expectError(postJson(`${u}/publish`, { to: 'all', payload: 'x', payloadBytes: 1 }), 400, 'bad_parameter', 'payload');
    await expectError(postJson(`${u}/publish`, { to: 'all', colour: 'red' }), 400, 'bad_parameter', 'colour');
    await expectError(postJson(`${u}/publish`, [{ to: 'all' }, { to: 'x' }]), 400, 'bad_parameter', '[1].to');
    await expectError(postJson(`${u}/publish`, { to: 'all', payloadBytes: 2 * 1024 * 1024 }), 413, 'payload_too_large', 'payloadBytes');
    await expectError(postJson(`${u}/clients`, { ids: 'a' }), 400, 'bad_parameter', 'ids');
    await expectError(postJson(`${u}/clients`, { ids: ['ok', ''] }), 400, 'bad_parameter', 'ids');
    // A refused batch publishes nothing.
    expect((await stats(server)).events.published).toBe(0);
  });

  it('bodies over the limit get 413, whether declared or streamed', async () => {
    const server = await startServer({ maxBodyBytes: 1000 });
    await register(server, ['a']);
    const declared = await fetch(`${server.url}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'all', payload: 'x'.repeat(2000) }),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as ErrorBody).error).toBe('payload_too_large');

    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/publish`,
        { method: 'POST', headers: { 'transfer-encoding': 'chunked', 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write('x'.repeat(400));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
  });

  it('too many clients', async () => {
    const server = await startServer({ maxClients: 3 });
    await register(server, ['a', 'b']);
    await expectError(postJson(`${server.url}/clients`, { ids: ['c', 'd'] }), 409, 'too_many_clients');
    expect((await postJson(`${server.url}/clients`, { ids: ['a', 'c'] })).json).toEqual({ registered: 3 });
  });
});

describe('WebSocket refusals', () => {
  const wsUrl = (server: RunningServer, query: string) => `${server.url.replace('http', 'ws')}/ws${query}`;

  async function handshakeStatus(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', () => undefined);
    });
  }

  it('bad handshake parameters are refused with an HTTP status before upgrading', async () => {
    const server = await startServer();
    await register(server, ['a']);
    expect(await handshakeStatus(wsUrl(server, '?client=a!'))).toBe(400);
    expect(await handshakeStatus(wsUrl(server, '?client=zz'))).toBe(404);
    expect(await handshakeStatus(wsUrl(server, '?client=a&after=7'))).toBe(400);
    expect(await handshakeStatus(wsUrl(server, '?client=a&compress=maybe'))).toBe(400);
    expect(await handshakeStatus(`${server.url.replace('http', 'ws')}/elsewhere?client=a`)).toBe(404);
  });

  /** Completes a handshake by hand so that raw, broken frames can follow. */
  async function rawUpgrade(server: RunningServer): Promise<Socket> {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      'GET /ws?client=a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    let head = '';
    await waitFor(() => {
      const chunk = socket.read() as Buffer | null;
      if (chunk) head += chunk.toString('latin1');
      return head.includes('\r\n\r\n');
    }, 'the 101 answer');
    expect(head.startsWith('HTTP/1.1 101')).toBe(true);
    return socket;
  }

  /** Reads frames until a close frame arrives; returns its status code. */
  async function closeCodeAfter(socket: Socket, frame: Buffer): Promise<number> {
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.write(frame);
    return waitFor(() => {
      const all = Buffer.concat(received);
      for (let i = 0; i + 1 < all.length;) {
        const opcode = all[i]! & 0x0f;
        const len = all[i + 1]! & 0x7f; // server frames here are small
        if (opcode === 0x8) return all.readUInt16BE(i + 2);
        i += 2 + len;
      }
      return undefined;
    }, 'a close frame');
  }

  function maskedFrame(firstByte: number, payload: Buffer): Buffer {
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    return Buffer.concat([Buffer.from([firstByte]), length, mask, masked]);
  }

  it.each([
    ['an unknown opcode', 1002, () => maskedFrame(0x83, Buffer.from('hi'))],
    ['an unmasked frame', 1002, () => Buffer.from([0x81, 0x02, 0x68, 0x69])],
    ['invalid UTF-8 in a text frame', 1007, () => maskedFrame(0x81, Buffer.from([0xc3, 0x28]))],
    ['a frame over maxFrameBytes', 1009, () => maskedFrame(0x81, Buffer.alloc(2000, 0x61))],
  ])('%s closes with %d, and the server carries on', async (_what, code, frame) => {
    const server = await startServer({ transports: { websocket: { maxFrameBytes: 1024 } } });
    await register(server, ['a']);
    const socket = await rawUpgrade(server);
    expect(await closeCodeAfter(socket, frame())).toBe(code);
    socket.destroy();
    const s = await waitFor(async () => {
      const x = await stats(server);
      return x.transports.websocket.open === 0 ? x : undefined;
    }, 'the connection to go');
    expect(s.clients.listening).toBe(0);
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
  });

  it('malformed HTTP does not crash the server', async () => {
    const server = await startServer();
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('NONSENSE\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
  });
});
