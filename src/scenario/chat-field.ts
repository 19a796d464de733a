/**
 * `chat`: a two-way workload. The clients write the messages (each at its own seeded Poisson
 * rate) and the server fans each one out to the sender's room. Rooms are fixed for the run:
 * client i sits in room i mod rooms, so rooms differ in size by one at most and every process
 * can work out who is where without being told.
 */
import { z } from 'zod';
import { RATE_PATTERN, SIZE_PATTERN, parseRate, parseSize } from '../units/units.js';
import { strictMapping, unitValue, wholeNumber } from './fields.js';

/** The same bound as an event's payload: larger says more about JSON parsing than about transports. */
const MAX_MESSAGE_BYTES = 1_048_576;

export const chatField = () =>
  strictMapping(
    {
      rooms: wholeNumber(1, 1_000_000, '20').default(1).meta({ description: 'Rooms the clients are spread over (client i in room i mod rooms). Default 1.' }),
      sendRate: unitValue(parseRate, RATE_PATTERN, { min: 1 / 3_600, max: 1_000, minText: '1/h', maxText: '1000/s' })
        .prefault('1/10s')
        .meta({ description: 'How often each client sends a message (Poisson, seeded), e.g. "1/10s". Default 1/10s.' }),
      payload: unitValue(parseSize, SIZE_PATTERN, { min: 1, max: MAX_MESSAGE_BYTES, minText: '1B', maxText: '1MiB' })
        .prefault('120B')
        .meta({ description: 'Size of each message text. Default 120B.' }),
      echo: z
        .boolean({ error: (issue) => `${JSON.stringify(issue.input)} is not true or false; write echo: false (the sender does not get its own message back)` })
        .default(false)
        .meta({ description: 'Whether the server sends a message back to its sender too. Default false.' }),
    },
    '{ rooms: 20, sendRate: 1/10s, payload: 120B }',
  )
    .transform(({ rooms, sendRate, payload, echo }) => ({ rooms, sendRatePerClient: sendRate, payloadBytes: payload, echo }))
    .meta({
      description:
        "A two-way chat instead of `events`: each client sends messages to its room and sees everyone else's. { rooms: 20, sendRate: 1/10s, payload: 120B, echo: false }",
    });

/** A chat workload: rooms, each client's send rate (messages per second), message size, and whether senders get their own messages. */
export type ChatSettings = z.output<ReturnType<typeof chatField>>;

/** The room of client `index`. */
export const roomOf = (index: number, rooms: number): number => index % rooms;

/** The room's name on the wire. */
export const roomName = (room: number): string => `r${room}`;

/** Client indices of room `room` in a fleet of `clients`, ascending. */
export function roomMembers(room: number, rooms: number, clients: number): number[] {
  const members: number[] = [];
  for (let index = room; index < clients; index += rooms) members.push(index);
  return members;
}

/** Who receives a message of `sender`: its room, without the sender unless echo is on. */
export function messageRecipients(sender: number, chat: Pick<ChatSettings, 'rooms' | 'echo'>, clients: number): number[] {
  const members = roomMembers(roomOf(sender, chat.rooms), chat.rooms, clients);
  return chat.echo ? members : members.filter((index) => index !== sender);
}

/**
 * Recipients per message, averaged over senders (every client sends at the same rate): a room
 * of n members gives each of its n senders n − 1 recipients (n with echo).
 */
export function meanRecipients(chat: Pick<ChatSettings, 'rooms' | 'echo'>, clients: number): number {
  let total = 0;
  for (let room = 0; room < Math.min(chat.rooms, clients); room++) {
    const size = Math.floor((clients - room - 1) / chat.rooms) + 1;
    total += size * (chat.echo ? size : size - 1);
  }
  return clients > 0 ? total / clients : 0;
}
