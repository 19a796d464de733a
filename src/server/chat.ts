/**
 * Chat rooms (docs/protocol.md, "Chat"): the runner sets the rooms with POST /rooms; a client
 * sends a message to its room with POST /send (or a `send` frame up its WebSocket), and the
 * server publishes it to the room's other members as an ordinary event, so every transport
 * delivers it the way it delivers anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import { badParameter, HttpError } from './errors.js';
import { clientIdParam, describeValue, readJson, sendJson } from './http-utils.js';
import { CLIENT_ID_PATTERN, type Client, type Published } from './store.js';

const NANOSECONDS = /^\d{1,20}$/;
const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

interface Room {
  /** In the order they joined. */
  members: Set<Client>;
  /** Whether a sender gets its own message back. */
  echo: boolean;
}

/** The rooms of the current run; POST /reset forgets them with the clients. */
export class ChatRooms {
  private rooms = new Map<string, Room>();

  /** Adds members to a room (creating it), and sets whether its senders get their own messages back. */
  join(name: string, members: readonly Client[], echo: boolean): void {
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = { members: new Set(), echo }));
    room.echo = echo;
    for (const member of members) room.members.add(member);
  }

  clear(): void {
    this.rooms = new Map();
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Who gets a message `sender` sends to `name`; throws the wire contract's refusal when it may not. */
  recipients(sender: Client, name: string): Client[] {
    const room = this.rooms.get(name);
    if (!room) throw new HttpError(404, 'unknown_room', `There is no room ${describeValue(name)}; the runner creates rooms with POST /rooms.`, 'room');
    if (!room.members.has(sender)) {
      throw new HttpError(
        403,
        'not_a_member',
        `Client "${sender.id}" is not a member of room ${describeValue(name)}; it may send only to its own rooms.`,
        'room',
      );
    }
    const to: Client[] = [];
    for (const member of room.members) if (room.echo || member !== sender) to.push(member);
    return to;
  }
}

/**
 * Checks a message (the body of POST /send, or a WebSocket `send` frame) and publishes it to
 * the sender's room. Validation comes first, so a refused message publishes nothing.
 */
export function sendMessage(ctx: ServerContext, rooms: ChatRooms, sender: Client, message: unknown): Published {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw badParameter('body', 'A message must be an object like {"room": "r0", "t": "<intended ns>", "p": "text"}.');
  }
  const { room, t, p, ...rest } = message as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw badParameter(unknown, `Unknown field ${unknown}; a message has room, t and p.`);
  if (typeof room !== 'string' || !ROOM_PATTERN.test(room)) throw badParameter('room', `room ${describeValue(room)} must be a room name such as "r0".`);
  if (typeof t !== 'string' || !NANOSECONDS.test(t)) {
    throw badParameter('t', 't must be the intended send time, process.hrtime.bigint() nanoseconds as a decimal string.');
  }
  if (typeof p !== 'string') throw badParameter('p', 'p must be the message text, a string.');
  if (Buffer.byteLength(p) > ctx.options.maxPayloadBytes) {
    throw new HttpError(413, 'payload_too_large', `p is larger than the server's maxPayloadBytes (${ctx.options.maxPayloadBytes}).`, 'p');
  }
  const to = rooms.recipients(sender, room);
  const [published] = ctx.store.publish([{ to, intendedNs: t, payloadJson: JSON.stringify(p) }]);
  return published!;
}

/** POST /send?client=ID {"room", "t", "p"} → {"id", "recipients", "publishedAt"}. */
export async function handleSend(ctx: ServerContext, rooms: ChatRooms, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const sender = ctx.store.resolve(clientIdParam(query), ctx.options.autoRegister);
  const body = await readJson(req, ctx.options.maxBodyBytes);
  sendJson(res, 200, sendMessage(ctx, rooms, sender, body));
}

/**
 * POST /rooms {"rooms": {"r0": ["c0", "c2"], ...}, "echo": false} → {"rooms": N}: adds the members
 * to the rooms (so a big room can be sent in parts), and sets echo for them; N = rooms in all.
 */
export async function handleRooms(ctx: ServerContext, rooms: ChatRooms, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, ctx.options.maxBodyBytes);
  const fix = 'Body must be {"rooms": {"r0": ["c0", "c2"], "r1": ["c1", "c3"]}, "echo": false}.';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badParameter('body', fix);
  const { rooms: given, echo = false, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw badParameter(unknown, `Unknown field ${unknown}; ${fix}`);
  if (typeof echo !== 'boolean') throw badParameter('echo', `echo must be true or false, not ${describeValue(echo)}.`);
  if (typeof given !== 'object' || given === null || Array.isArray(given)) throw badParameter('rooms', fix);
  // Everything is checked before any room changes: a bad request changes nothing.
  const parsed = new Map<string, Client[]>();
  for (const [name, ids] of Object.entries(given)) {
    if (!ROOM_PATTERN.test(name)) throw badParameter('rooms', `Room name ${describeValue(name)} must be 1 to 64 characters from [A-Za-z0-9_.-].`);
    if (!Array.isArray(ids)) throw badParameter(`rooms.${name}`, `rooms.${name} must be a list of client ids.`);
    parsed.set(
      name,
      ids.map((id, i) => {
        if (typeof id !== 'string' || !CLIENT_ID_PATTERN.test(id))
          throw badParameter(`rooms.${name}`, `rooms.${name}[${i}] ${describeValue(id)} is not a valid client id.`);
        return ctx.store.resolve(id, ctx.options.autoRegister, `rooms.${name}`);
      }),
    );
  }
  for (const [name, members] of parsed) rooms.join(name, members, echo);
  sendJson(res, 200, { rooms: rooms.size });
}
