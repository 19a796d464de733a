import { connect as connectTcp, type Socket } from 'node:net';
import { MqttClient, type IConnackPacket } from 'mqtt';
import { brokerOf, mqttBroadcastTopic, mqttClientTopic, noChatOnBrokers, type BrokerLink } from '../broker-link.js';
import { parseJson, sinkScheduledEvent } from '../events.js';
import { ClientLifecycle } from '../lifecycle.js';
import type { OfflineHow } from '../offline.js';
import type { ChatMessage, ClientContext, SendReceipt, TransportClient } from '../types.js';
import type { MqttSettings } from './settings.js';

/** A connect (to CONNACK) that takes longer than this failed, and is retried by the lifecycle. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long the broker keeps a persistent session whose client is away: longer than any run. */
const SESSION_EXPIRY_S = 24 * 3_600;

/**
 * An MQTT 5 subscriber (mqtt.js): one connection, subscribed to its own topic and the broadcast
 * topic at the scenario's QoS; the broker pushes each message. The connect that (re)opens the
 * subscription counts as one request. With a persistent session the broker keeps the
 * subscriptions and what arrives while the client is away (offline with `close`: it disconnects,
 * and resumes the session on return); with a clean one, what arrives meanwhile is lost. `silent`
 * stops reading the socket. At stop the session is ended, so the broker keeps nothing of the run.
 *
 * The socket is ours (mqtt.js takes a stream builder), so that it is metered from its first byte
 * and leaves from the client's source address.
 */
export function createMqttClient(ctx: ClientContext<MqttSettings>): TransportClient {
  return new MqttSubscriber(ctx);
}

class MqttSubscriber implements TransportClient {
  private readonly lifecycle: ClientLifecycle;
  private readonly broker: BrokerLink;
  private client: MqttClient | undefined;
  private socket: Socket | undefined;

  constructor(private readonly ctx: ClientContext<MqttSettings>) {
    this.broker = brokerOf(ctx, 'mqtt');
    this.lifecycle = new ClientLifecycle(ctx, () => void this.close(false));
  }

  start(): Promise<void> {
    const started = this.lifecycle.begin();
    this.open();
    return started;
  }

  async stop(): Promise<void> {
    this.lifecycle.stop();
    await this.close(true);
  }

  goOffline(how: OfflineHow): void {
    if (!this.lifecycle.goOffline(how)) return;
    if (how === 'close') void this.close(false);
    else this.socket?.pause();
  }

  comeBack(): void {
    const how = this.lifecycle.comeBack();
    if (how === 'close') this.open();
    else if (how === 'silent') this.socket?.resume();
  }

  send(_message: ChatMessage): Promise<SendReceipt> {
    return noChatOnBrokers('mqtt');
  }

  private open(): void {
    const { settings, clientIndex, sink } = this.ctx;
    const attemptStartNs = process.hrtime.bigint();
    const url = new URL(this.broker.url);
    const persistent = settings.session === 'persistent';
    const client = new MqttClient(
      () => {
        const socket = connectTcp({
          host: url.hostname,
          port: Number(url.port || 1883),
          noDelay: true,
          ...(this.ctx.localAddress ? { localAddress: this.ctx.localAddress } : {}),
        });
        this.ctx.meter.track(socket);
        this.socket = socket;
        return socket;
      },
      {
        protocolVersion: 5,
        // The same id at every connect of the phase, so that a persistent session is found again.
        clientId: `${this.broker.namespace}-${this.ctx.clientId}`,
        clean: !persistent,
        ...(persistent ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_S } } : {}),
        // Reconnects are the lifecycle's, with its backoff and its count.
        reconnectPeriod: 0,
        connectTimeout: CONNECT_TIMEOUT_MS,
        ...(this.broker.url.includes('@') ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : {}),
      },
    );
    this.client = client;
    let opened = false;
    client.on('connect', (connack: IConnackPacket) => {
      const subscribed = () => {
        opened = true;
        sink.request(clientIndex, 'events');
        this.lifecycle.connected(attemptStartNs);
      };
      // A session the broker kept still has its subscriptions (and the messages that came meanwhile follow).
      if (connack.sessionPresent) return subscribed();
      const topics = [mqttClientTopic(this.broker.namespace, this.ctx.clientId), mqttBroadcastTopic(this.broker.namespace)];
      client.subscribe(topics, { qos: settings.qos }, (error, granted) => {
        if (client !== this.client) return;
        const refused = granted?.find((grant) => grant.qos !== settings.qos);
        if (error || refused) {
          const detail = error?.message ?? `the broker granted QoS ${refused!.qos} on ${refused!.topic}, not ${settings.qos}`;
          sink.request(clientIndex, 'failed');
          void this.close(false);
          this.lifecycle.failed('connect', `subscribe: ${detail}`, true, () => this.open());
          return;
        }
        subscribed();
      });
    });
    client.on('message', (_topic, payload) => {
      const receivedNs = process.hrtime.bigint();
      this.ctx.consume?.read(payload.length, receivedNs);
      sinkScheduledEvent(sink, clientIndex, parseJson(payload.toString()), receivedNs, this.broker.seqOf);
    });
    // mqtt.js reads the next packet (and acknowledges a QoS 1 message) once this calls back: a slow client calls back when it is done.
    client.handleMessage = (_packet, done) => {
      const holdMs = this.ctx.consume?.holdMs() ?? 0;
      if (holdMs <= 0) done();
      else setTimeout(done, holdMs).unref();
    };
    client.on('error', () => undefined); // the close that follows says what happened
    client.on('close', () => {
      if (client !== this.client) return;
      this.client = undefined;
      this.socket = undefined;
      client.end(true);
      if (!this.lifecycle.active) return;
      const kind = opened ? 'disconnect' : 'connect';
      if (!opened) sink.request(clientIndex, 'failed');
      this.lifecycle.failed(kind, opened ? 'the broker closed the connection' : `could not connect to ${this.broker.url}`, true, () => this.open());
    });
  }

  /** Disconnects; `endSession`: the broker forgets the session too (at stop), else it keeps it for the client's return. */
  private close(endSession: boolean): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.socket = undefined;
    if (!client) return Promise.resolve();
    return new Promise((resolve) => {
      const options = endSession && this.ctx.settings.session === 'persistent' ? { properties: { sessionExpiryInterval: 0 } } : {};
      client.end(false, options, () => resolve());
      // A broker that does not answer the DISCONNECT does not hold the client up.
      setTimeout(() => {
        client.end(true);
        resolve();
      }, 1_000).unref();
    });
  }
}
