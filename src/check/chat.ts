/** Chat rooms: POST /rooms, POST /send and the WebSocket `send` frame, as a chat run uses them. */
import { refusal } from './control.js';
import type { RuleContext, WireEvent } from './context.js';
import { openWs, receive } from './receive.js';
import { Broken, fail, pass, type Outcome, type Rule } from './rule.js';

const DECIMAL = /^\d{1,20}$/;

/** Registers `size` clients and puts them in a room of their own; returns the room's name and its members. */
async function room(ctx: RuleContext, size: number, echo = false): Promise<{ name: string; members: string[] }> {
  const members = Array.from({ length: size }, () => ctx.session.clientId());
  await ctx.register(members);
  // A client id of this check run is a unique room name as well.
  const name = ctx.session.clientId();
  const answer = await ctx.http('POST', '/rooms', { body: JSON.stringify({ rooms: { [name]: members }, echo }), control: true });
  if (answer.status !== 200) throw new Broken(`POST /rooms answered ${answer.status}, not 200`);
  return { name, members };
}

/** A message the check can recognise when it arrives. */
function message(roomName: string, n: number): { room: string; t: string; p: string } {
  return { room: roomName, t: process.hrtime.bigint().toString(), p: `check-chat-${n}` };
}

function send(ctx: RuleContext, client: string, body: unknown) {
  return ctx.http('POST', `/send?client=${encodeURIComponent(client)}`, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

/** What `client` has been sent so far, read with GET /poll (events only: a poll answers at once). */
async function polled(ctx: RuleContext, client: string): Promise<WireEvent[]> {
  const delivery = await receive(ctx, 'polling', { client, after: '0' }, { count: 0 });
  if (delivery.status !== 200) throw new Broken(`GET /poll?client=${client} answered ${delivery.status}, not 200`);
  return delivery.items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
}

/** `{id, recipients, publishedAt}` with the recipients the room should have. */
function receipt(json: unknown, recipients: number): Outcome {
  const { id, recipients: got, publishedAt } = (json ?? {}) as { id?: unknown; recipients?: unknown; publishedAt?: unknown };
  if (!Number.isInteger(id)) return fail('the answer has no integer "id"');
  if (typeof publishedAt !== 'string' || !DECIMAL.test(publishedAt)) return fail('the answer has no "publishedAt" as a decimal string of ns');
  return got === recipients ? pass() : fail(`"recipients": ${String(got)}, not ${recipients}`);
}

export const chatRules: Rule[] = [
  {
    id: 'chat.send-to-room',
    transport: null,
    endpoint: 'POST /send',
    statement: "a message sent with POST /send reaches the room's other members, with its t and p, and not its sender",
    async run(ctx) {
      const { name, members } = await room(ctx, 3);
      const sent = message(name, 0);
      const answer = await send(ctx, members[0]!, sent);
      if (answer.status !== 200) return fail(`POST /send answered ${answer.status}, not 200`);
      const shape = receipt(answer.json, 2);
      if (shape.verdict !== 'pass') return shape;
      for (const member of members.slice(1)) {
        const events = await polled(ctx, member);
        if (events.length !== 1 || events[0]!.t !== sent.t || events[0]!.p !== sent.p) {
          return fail(`member ${member} was sent ${events.length} events, not the one message with t ${sent.t} and p ${sent.p}`);
        }
      }
      const own = await polled(ctx, members[0]!);
      return own.length === 0 ? pass() : fail(`the sender got ${own.length} events back without echo`);
    },
  },
  {
    id: 'chat.echo',
    transport: null,
    endpoint: 'POST /rooms',
    statement: 'in a room set with "echo": true, the sender gets its own message back too',
    async run(ctx) {
      const { name, members } = await room(ctx, 2, true);
      const answer = await send(ctx, members[0]!, message(name, 1));
      if (answer.status !== 200) return fail(`POST /send answered ${answer.status}, not 200`);
      const own = await polled(ctx, members[0]!);
      return own.length === 1 ? pass() : fail(`the sender got ${own.length} events back, not its one message`);
    },
  },
  {
    id: 'chat.unknown-room-404',
    transport: null,
    endpoint: 'POST /send',
    statement: 'a message to a room that was never made is refused with 404 unknown_room',
    async run(ctx) {
      const client = await ctx.client();
      const answer = await send(ctx, client, message(ctx.session.clientId(), 2));
      return refusal(answer.status, answer.json, 404, 'unknown_room');
    },
  },
  {
    id: 'chat.not-a-member-403',
    transport: null,
    endpoint: 'POST /send',
    statement: 'a message to a room its sender is not in is refused with 403 not_a_member, and reaches nobody',
    async run(ctx) {
      const { name, members } = await room(ctx, 2);
      const outsider = await ctx.client();
      const answer = await send(ctx, outsider, message(name, 3));
      const refused = refusal(answer.status, answer.json, 403, 'not_a_member');
      if (refused.verdict !== 'pass') return refused;
      const events = await polled(ctx, members[0]!);
      return events.length === 0 ? pass() : fail(`a member was sent ${events.length} events of a refused message`);
    },
  },
  {
    id: 'websocket.chat-send',
    transport: 'websocket',
    endpoint: 'GET /ws',
    statement: 'a {"send": {...}} frame up a WebSocket is answered {"sent": {"id", "recipients", ...}} and reaches the other members',
    async run(ctx) {
      const { name, members } = await room(ctx, 2);
      const path = `/ws?client=${members[0]!}&after=0`;
      const exchange = ctx.record(`GET ${path} (WebSocket upgrade), then a send frame`);
      const socket = await openWs(ctx, path, exchange);
      if (socket.status !== 101 || !socket.ws) return fail(`the handshake answered ${socket.status}, not 101`);
      const sent = message(name, 4);
      socket.ws.send(JSON.stringify({ send: { id: 41, ...sent } }));
      const deadline = Date.now() + ctx.waitMs;
      while (socket.messages.length === 0 && Date.now() < deadline && !ctx.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 10));
      const answer = socket.messages[0];
      if (answer === undefined) return fail(`no answer to the send frame within ${ctx.waitMs} ms`);
      const sentFrame = (JSON.parse(answer) as { sent?: { id?: unknown } } | undefined)?.sent;
      if (sentFrame?.id !== 41) return fail(`the first frame back is not {"sent": {"id": 41, ...}}: ${answer.slice(0, 120)}`);
      const shape = receipt(sentFrame, 1);
      if (shape.verdict !== 'pass') return shape;
      const events = await polled(ctx, members[1]!);
      return events.length === 1 && events[0]!.p === sent.p ? pass() : fail(`the other member was sent ${events.length} events, not the message`);
    },
  },
];
