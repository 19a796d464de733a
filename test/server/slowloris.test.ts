/**
 * Slowloris: many connections that send their request headers a byte at a time and never
 * finish them. Each holds a socket of the reference server until headersTimeout; meanwhile the
 * server must keep answering everyone else, and once the slow connections go, nothing of them
 * may stay behind (/stats tcpSockets back down).
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, waitFor, type PollBody } from './helpers.js';
import type { RunningServer, StatsSnapshot } from '../../src/server/index.js';

const SLOW_CONNECTIONS = 200;
/** One byte per connection per tick: 50 bytes/s each, far below any size limit, never a whole header block. */
const BYTE_EVERY_MS = 20;

/**
 * Connections trickling an endless request header, one byte per tick each, from one shared timer.
 * Each connection keeps its own place in the header: on a loaded machine some connect ticks after
 * others, and a connection that missed the first bytes would send a broken request line, which
 * the server rightly answers 400 and closes.
 */
class Slowloris {
  readonly sockets: Socket[] = [];
  /** Bytes written so far, per connection (same order as `sockets`). */
  private readonly written: number[] = [];
  /** Error codes the connections met, to say why one is missing when a wait fails. */
  readonly errors: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly head: string;

  constructor(port: number, count: number) {
    this.head = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    for (let i = 0; i < count; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      socket.on('error', (error: NodeJS.ErrnoException) => this.errors.push(error.code ?? error.message));
      this.sockets.push(socket);
      this.written.push(0);
    }
    this.timer = setInterval(() => this.trickle(), BYTE_EVERY_MS);
  }

  /** Sends each connected socket its next byte: the request line and headers first, then a header value that never ends. */
  private trickle(): void {
    this.sockets.forEach((socket, i) => {
      if (socket.destroyed || socket.connecting) return;
      const at = this.written[i]!;
      socket.write(at < this.head.length ? this.head[at]! : 'a');
      this.written[i] = at + 1;
    });
  }

  /** Bytes that every connection has written at least. */
  get bytesEach(): number {
    return Math.min(...this.written);
  }

  /** Connections the server has not closed. Count. */
  get open(): number {
    return this.sockets.filter((s) => !s.destroyed).length;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const socket of this.sockets) socket.destroy();
  }
}

let slow: Slowloris | undefined;
afterEach(() => {
  slow?.close();
  slow = undefined;
});

/**
 * One request on a connection of its own, closed after the answer. Every request of this test
 * goes this way: a keep-alive socket left by a helper would sit in /stats tcpSockets and then
 * vanish on its idle timeout, and the counts below must be the slow connections alone.
 */
function once(method: string, url: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { connection: 'close', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Open TCP sockets of the server other than the one that asks: the asking socket is itself counted. */
async function otherSockets(server: RunningServer): Promise<number> {
  const answer = await once('GET', `${server.url}/stats`);
  return (JSON.parse(answer.body) as StatsSnapshot).tcpSockets - 1;
}

async function postOk(url: string, body: unknown): Promise<void> {
  const answer = await once('POST', url, body);
  expect(answer.status, answer.body).toBe(200);
}

describe('slowloris', () => {
  it('keeps serving others while 200 connections trickle their headers, and frees every one of them when they close', async () => {
    const server = await startServer();
    await postOk(`${server.url}/clients`, { ids: ['normal'] });

    slow = new Slowloris(server.port, SLOW_CONNECTIONS);
    const attack = slow;
    // A one-shot socket of an earlier request may not have closed yet on the server's side, so
    // the count may be above the slow ones, never below once they are all accepted.
    let held = 0;
    await waitFor(async () => (held = await otherSockets(server)) >= SLOW_CONNECTIONS, `${SLOW_CONNECTIONS} slow connections held by the server`).catch(
      (error: Error) => {
        const connecting = attack.sockets.filter((s) => s.connecting).length;
        throw new Error(`${error.message}: held ${held}, open here ${attack.open}, still connecting ${connecting}, errors [${attack.errors.join(', ')}]`);
      },
    );
    // Past the request line: every slow connection is now inside a header block the server is still parsing.
    await waitFor(() => attack.bytesEach > 'GET /health HTTP/1.1\r\n'.length + 5, 'the slow connections to be inside their headers');

    const health = await once('GET', `${server.url}/health`);
    expect(health).toEqual({ status: 200, body: JSON.stringify({ ok: true }) });
    await postOk(`${server.url}/publish`, { to: ['normal'], payloadBytes: 10 });
    const poll = await once('GET', `${server.url}/poll?client=normal&after=0`);
    expect(poll.status).toBe(200);
    expect((JSON.parse(poll.body) as PollBody).events.map((e) => e.seq)).toEqual([1]);
    // The normal client was served while every slow connection was still open and unanswered.
    expect(attack.open).toBe(SLOW_CONNECTIONS);

    attack.close();
    await waitFor(async () => (await otherSockets(server)) === 0, 'the slow connections to be gone from /stats');
  });
});
