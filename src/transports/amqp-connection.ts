/**
 * One AMQP connection and channel of a broker transport's client (amqplib), metered: its socket is
 * registered with the client's meter, so bytes are AMQP's framing as the kernel saw it
 * (handshake, method, header and body frames, heartbeats), counted from the socket's first byte.
 */
import type { Socket } from 'node:net';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { brokerOf, noChatOnBrokers, type BrokerLink } from './broker-link.js';
import { ClientLifecycle } from './lifecycle.js';
import type { OfflineHow } from './offline.js';
import type { ChatMessage, ClientContext, SendReceipt, TransportClient } from './types.js';

/** A connect that takes longer than this failed (and is retried by the lifecycle). */
const CONNECT_TIMEOUT_MS = 10_000;

export interface AmqpSession {
  model: ChannelModel;
  channel: Channel;
  socket: Socket;
}

/** Connects, opens a channel and meters the socket; `onClose` hears of the connection's end, whoever ended it. */
async function openAmqpSession(ctx: ClientContext<unknown>, url: string, onClose: (error: Error | undefined) => void): Promise<AmqpSession> {
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
async function closeAmqpSession(session: AmqpSession | undefined): Promise<void> {
  if (!session) return;
  await session.model.close().catch(() => session.socket.destroy());
}

/**
 * What the two RabbitMQ clients share: one session at a time, (re)opened by the lifecycle with its
 * backoff, closed on `close` offline and back on return; `silent` stops reading its socket. A
 * session that ends after it was replaced or left is nobody's concern (the generation says so).
 */
export abstract class AmqpClient<Settings> implements TransportClient {
  protected readonly lifecycle: ClientLifecycle;
  protected readonly broker: BrokerLink;
  protected session: AmqpSession | undefined;
  /** Bumped at every close of ours. */
  private generation = 0;

  constructor(
    protected readonly ctx: ClientContext<Settings>,
    private readonly transport: string,
  ) {
    this.broker = brokerOf(ctx, transport);
    this.lifecycle = new ClientLifecycle(ctx, () => void this.close());
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    void this.open();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.close();
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    this.leaving();
    if (how === 'close') void this.close();
    else this.session?.socket.pause();
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'close') void this.open();
    else if (how === 'silent') {
      this.session?.socket.resume();
      this.back();
    }
  }

  send(_message: ChatMessage): Promise<SendReceipt> {
    return noChatOnBrokers(this.transport);
  }

  /** The session is open: start reading from it (throws to fail the attempt). */
  protected abstract opened(session: AmqpSession, attemptStartNs: bigint): Promise<void>;
  /** Going offline, before the session closes or pauses. */
  protected leaving(): void {}
  /** Back from `silent`, the socket read again. */
  protected back(): void {}
  /** An attempt failed before the client could read (a consume counts it as a failed request). */
  protected attemptFailed(): void {}

  protected async open(): Promise<void> {
    const generation = this.generation;
    const attemptStartNs = process.hrtime.bigint();
    let session: AmqpSession | undefined;
    try {
      session = await openAmqpSession(this.ctx, this.broker.url, (error) => this.dropped(generation, error));
      if (generation !== this.generation || !this.lifecycle.active) return void closeAmqpSession(session);
      this.session = session;
      await this.opened(session, attemptStartNs);
    } catch (error) {
      await closeAmqpSession(session);
      if (generation !== this.generation) return;
      this.attemptFailed();
      this.lifecycle.failed('connect', (error as Error).message, true, () => void this.open());
    }
  }

  /** The connection ended without our asking (the broker closed it, or it broke): connect again after a pause. */
  private dropped(generation: number, error: Error | undefined): void {
    if (generation !== this.generation) return;
    this.session = undefined;
    this.leaving();
    if (!this.lifecycle.active) return;
    this.lifecycle.failed('disconnect', error?.message ?? 'the broker closed the connection', true, () => void this.open());
  }

  protected async close(): Promise<void> {
    this.generation++;
    this.leaving();
    const session = this.session;
    this.session = undefined;
    await closeAmqpSession(session);
  }
}
