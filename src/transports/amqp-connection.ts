/**
 * One AMQP connection and channel of a broker transport's client (amqplib), metered: its socket is
 * registered with the client's meter, so bytes are AMQP's framing as the kernel saw it
 * (handshake, method, header and body frames, heartbeats), counted from the socket's first byte.
 */
import type { Socket } from 'node:net';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import type { ClientContext } from './types.js';

/** A connect that takes longer than this failed (and is retried by the lifecycle). */
const CONNECT_TIMEOUT_MS = 10_000;

export interface AmqpSession {
  model: ChannelModel;
  channel: Channel;
  socket: Socket;
}

/** Connects, opens a channel and meters the socket; `onClose` hears of the connection's end, whoever ended it. */
export async function openAmqpSession(ctx: ClientContext<unknown>, url: string, onClose: (error: Error | undefined) => void): Promise<AmqpSession> {
  const model = await connect(url, { timeout: CONNECT_TIMEOUT_MS, noDelay: true, ...(ctx.localAddress ? { localAddress: ctx.localAddress } : {}) });
  // amqplib keeps the socket on its connection object only; the bytes it carried so far are in its counters.
  const socket = (model as unknown as { connection: { stream: Socket } }).connection.stream;
  ctx.meter.track(socket);
  let closed = false;
  const close = (error: Error | undefined) => {
    if (closed) return;
    closed = true;
    onClose(error);
  };
  model.on('error', (error: Error) => close(error));
  model.on('close', (error?: Error) => close(error));
  const channel = await model.createChannel();
  // A channel error (a queue gone, a bad ack) closes the channel only: the client has nothing left to read from.
  channel.on('error', (error: Error) => close(error));
  return { model, channel, socket };
}

/** Closes a session, however it stands (an error of a connection already closing is of no interest). */
export async function closeAmqpSession(session: AmqpSession | undefined): Promise<void> {
  if (!session) return;
  await session.model.close().catch(() => session.socket.destroy());
}
