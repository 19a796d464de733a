/** The reference server's chat: rooms set by the runner, messages sent by the clients (POST /send or a WebSocket `send` frame). */
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { rawDataText } from '../../src/transports/websocket/raw-data.js';
import type { RunningServer } from '../../src/server/index.js';
import { clientIds, getJson, postJson, register, startServer, stats, waitFor, type PollBody } from './helpers.js';

interface Receipt {
  id: number;
  recipients: number;
  publishedAt: string;
}

async function chatServer(echo = false, options = {}): Promise<RunningServer> {
  const server = await startServer(options);
  await register(server, clientIds(6));
  const { status, json } = await postJson(`${server.url}/rooms`, { rooms: { r0: ['c0', 'c2', 'c4'], r1: ['c1', 'c3'] }, echo });
  expect(status).toBe(200);
  expect(json).toEqual({ rooms: 2 });
  return server;
}

const send = (server: RunningServer, client: string, body: unknown) =>
  postJson<Receipt & { error?: string; parameter?: string }>(`${server.url}/send?client=${client}`, body);

async function polled(server: RunningServer, client: string): Promise<PollBody['events']> {
  return (await getJson<PollBody>(`${server.url}/poll?client=${client}&after=0`)).json!.events;
}

describe('POST /send', () => {
  it('publishes a message to the other members of the sender’s room, and to nobody else', async () => {
    const server = await chatServer();
    const intended = process.hrtime.bigint().toString();
    const { status, json } = await send(server, 'c2', { room: 'r0', t: intended, p: 'hello ☃' });
    expect(status).toBe(200);
    expect(json?.recipients).toBe(2);
    expect(BigInt(json!.publishedAt)).toBeGreaterThanOrEqual(BigInt(intended));
    for (const member of ['c0', 'c4']) expect(await polled(server, member)).toEqual([{ seq: 1, id: 1, t: intended, p: 'hello ☃' }]);
    for (const other of ['c1', 'c2', 'c3', 'c5']) expect(await polled(server, other)).toEqual([]);
    const s = await stats(server);
    expect(s.events.published).toBe(1);
    expect(s.events.appended).toBe(2);
    expect(s.transports.chat.requests).toBe(1);
  });

  it('sends the message back to its sender too when the room echoes', async () => {
    const server = await chatServer(true);
    const { json } = await send(server, 'c1', { room: 'r1', t: '5', p: 'x' });
    expect(json?.recipients).toBe(2);
    expect(await polled(server, 'c1')).toHaveLength(1);
    expect(await polled(server, 'c3')).toHaveLength(1);
  });

  it('adds up rooms sent in parts', async () => {
    const server = await chatServer();
    expect((await postJson(`${server.url}/rooms`, { rooms: { r1: ['c5'] } })).json).toEqual({ rooms: 2 });
    expect((await send(server, 'c1', { room: 'r1', t: '5', p: 'x' })).json?.recipients).toBe(2);
  });

  it.each([
    ['a room that does not exist', 'c0', { room: 'r9', t: '1', p: 'x' }, 404, 'unknown_room', 'room'],
    ['a room the sender is not in', 'c1', { room: 'r0', t: '1', p: 'x' }, 403, 'not_a_member', 'room'],
    ['an unregistered sender', 'c99', { room: 'r0', t: '1', p: 'x' }, 404, 'unknown_client', 'client'],
    ['a time that is a number', 'c0', { room: 'r0', t: 1, p: 'x' }, 400, 'bad_parameter', 't'],
    ['no text', 'c0', { room: 'r0', t: '1' }, 400, 'bad_parameter', 'p'],
    ['an unknown field', 'c0', { room: 'r0', t: '1', p: 'x', to: 'all' }, 400, 'bad_parameter', 'to'],
    ['a list', 'c0', [], 400, 'bad_parameter', 'body'],
    ['a text over maxPayloadBytes', 'c0', { room: 'r0', t: '1', p: 'x'.repeat(65) }, 413, 'payload_too_large', 'p'],
  ])('refuses %s with a 4xx, publishing nothing', async (_what, client, body, status, error, parameter) => {
    const server = await chatServer(false, { maxPayloadBytes: 64 });
    const answer = await send(server, client, body);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ error, parameter });
    expect((await stats(server)).events.published).toBe(0);
  });

  it('refuses a body that is not JSON, and forgets the rooms on POST /reset', async () => {
    const server = await chatServer();
    const bad = await fetch(`${server.url}/send?client=c0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"room":' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('bad_json');
    await postJson(`${server.url}/reset`, {});
    await register(server, ['c0']);
    expect((await send(server, 'c0', { room: 'r0', t: '1', p: 'x' })).json?.error).toBe('unknown_room');
  });
});

describe('POST /rooms', () => {
  it.each([
    ['rooms as a list', { rooms: [['c0']] }, 'rooms'],
    ['a bad room name', { rooms: { 'no spaces': ['c0'] } }, 'rooms'],
    ['members that are not a list', { rooms: { r0: 'c0' } }, 'rooms.r0'],
    ['an unregistered member', { rooms: { r0: ['c0', 'c77'] } }, 'rooms.r0'],
    ['echo that is not a boolean', { rooms: {}, echo: 'yes' }, 'echo'],
  ])('refuses %s with a 4xx and changes no room', async (_what, body, parameter) => {
    const server = await chatServer();
    const answer = await postJson(`${server.url}/rooms`, body);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.json).toMatchObject({ parameter });
    expect((await send(server, 'c0', { room: 'r0', t: '1', p: 'x' })).json?.recipients).toBe(2);
  });

  it('is a control endpoint: a form post is refused', async () => {
    const server = await chatServer();
    const res = await fetch(`${server.url}/rooms`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"rooms":{}}' });
    expect(res.status).toBe(415);
  });
});

describe('a WebSocket send frame', () => {
  async function open(server: RunningServer, client: string): Promise<{ ws: WebSocket; frames: unknown[] }> {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?client=${client}&after=0`);
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(rawDataText(data))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return { ws, frames };
  }

  it('publishes to the room and is acknowledged with its id; a refusal names the status; anything else is ignored', async () => {
    const server = await chatServer();
    const sender = await open(server, 'c0');
    const member = await open(server, 'c2');
    try {
      sender.ws.send('not json');
      sender.ws.send(JSON.stringify({ hello: 1 }));
      sender.ws.send(JSON.stringify({ send: { id: 7, room: 'r0', t: '42', p: 'hi' } }));
      sender.ws.send(JSON.stringify({ send: { id: 8, room: 'r1', t: '43', p: 'hi' } }));
      await waitFor(() => sender.frames.length >= 2 && member.frames.length >= 1, 'the answers and the event');
      expect(sender.frames[0]).toMatchObject({ sent: { id: 7, recipients: 2 } });
      expect(sender.frames[1]).toMatchObject({ sendError: { id: 8, status: 403, error: 'not_a_member' } });
      expect(member.frames).toEqual([{ seq: 1, id: 1, t: '42', p: 'hi' }]);
      expect(sender.ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      sender.ws.terminate();
      member.ws.terminate();
    }
  });
});
