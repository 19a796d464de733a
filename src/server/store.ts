import { performance } from 'node:perf_hooks';
import { ClientLog, type SharedEvent } from './client-log.js';
import { HttpError, unknownClient } from './errors.js';
import type { RetentionOptions } from './options.js';
import type { ServerStats } from './stats.js';
import { serialiseEventTail } from './wire.js';

/** Something waiting for a client's events: a stream, a WebSocket, a held long poll. */
export interface Subscriber {
  /** New events were appended to the client's log; called once per publish batch. */
  onEvents(): void;
}

export class Client {
  readonly log = new ClientLog();
  /**
   * Who waits for this client's events: nobody in most polling runs, one stream or long poll
   * almost always otherwise, so one is held as is and a Set is made only for a second (a Set of
   * one costs ~200 bytes, which at 100,000 streams is memory the benchmarks hold against a
   * plain server's).
   */
  subscribers: Subscriber | Set<Subscriber> | undefined;
  constructor(readonly id: string) {}
}

/** A publish request after validation: recipients resolved, payload already JSON-quoted. */
export interface EventSpec {
  to: 'all' | Client[];
  intendedNs: string;
  payloadJson: string;
}

export interface Published {
  id: number;
  recipients: number;
  publishedAt: string;
}

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Clients, their logs, and who is listening. Publishing appends one shared event to each
 * recipient's log, then wakes the subscribers of the touched clients once per batch, so that a
 * batch of events reaches a stream as one write.
 */
export class EventStore {
  private readonly clients = new Map<string, Client>();
  /** Clients with at least one subscriber: the fan-out of a broadcast only visits these. */
  private readonly listening = new Set<Client>();
  private nextEventId = 1;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly retention: RetentionOptions,
    private readonly maxClients: number,
    private readonly stats: ServerStats,
  ) {
    // Age-based retention must also reach clients that never come back, hence a sweep;
    // unref'd so it never keeps a process alive.
    const every = Math.max(50, Math.min(5000, Math.floor(retention.maxAgeMs / 4)));
    this.sweeper = setInterval(() => this.evictExpiredEverywhere(), every).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get listeningCount(): number {
    return this.listening.size;
  }

  /** Idempotent; ids must already match CLIENT_ID_PATTERN. Returns the number of known clients. */
  register(ids: readonly string[]): number {
    let added = 0;
    for (const id of ids) if (!this.clients.has(id)) added++;
    if (this.clients.size + added > this.maxClients) {
      throw new HttpError(
        409,
        'too_many_clients',
        `Registering ${added} more clients would pass the limit of ${this.maxClients}; POST /reset first or raise maxClients.`,
      );
    }
    for (const id of ids) if (!this.clients.has(id)) this.clients.set(id, new Client(id));
    return this.clients.size;
  }

  get(id: string): Client | undefined {
    return this.clients.get(id);
  }

  /** The client named by a transport request; registers it when autoRegister is on. */
  resolve(id: string, autoRegister: boolean, parameter = 'client'): Client {
    const client = this.clients.get(id);
    if (client) return client;
    if (!autoRegister) throw unknownClient(id, parameter);
    this.register([id]);
    return this.clients.get(id)!;
  }

  publish(specs: readonly EventSpec[]): Published[] {
    const now = performance.now();
    const maxEvents = this.retention.maxEventsPerClient;
    const cutoff = now - this.retention.maxAgeMs;
    const results: Published[] = [];
    const touched = new Set<Client>();
    let broadcast = false;
    for (const spec of specs) {
      const id = this.nextEventId++;
      const event: SharedEvent = { id, tail: serialiseEventTail(id, spec.intendedNs, spec.payloadJson), storedAtMs: now };
      this.stats.serialised++;
      let recipients = 0;
      if (spec.to === 'all') {
        broadcast = true;
        for (const client of this.clients.values()) {
          this.append(client, event, maxEvents, cutoff);
          recipients++;
        }
      } else {
        for (const client of spec.to) {
          if (client.log.lastEventId === id) continue; // listed twice
          this.append(client, event, maxEvents, cutoff);
          recipients++;
          if (client.subscribers !== undefined) touched.add(client);
        }
      }
      this.stats.published++;
      this.stats.appended += recipients;
      results.push({ id, recipients, publishedAt: process.hrtime.bigint().toString() });
    }
    this.wake(broadcast ? this.listening : touched);
    return results;
  }

  subscribe(client: Client, subscriber: Subscriber): void {
    const subscribers = client.subscribers;
    if (subscribers === undefined) client.subscribers = subscriber;
    else if (subscribers instanceof Set) subscribers.add(subscriber);
    else if (subscribers !== subscriber) client.subscribers = new Set([subscribers, subscriber]);
    this.listening.add(client);
  }

  unsubscribe(client: Client, subscriber: Subscriber): void {
    const subscribers = client.subscribers;
    if (subscribers instanceof Set) {
      subscribers.delete(subscriber);
      if (subscribers.size > 0) return;
    } else if (subscribers !== subscriber) {
      return;
    }
    client.subscribers = undefined;
    this.listening.delete(client);
  }

  /** Applies age-based retention to one client before its log is read. */
  evictExpired(client: Client): void {
    client.log.evictStoredBefore(performance.now() - this.retention.maxAgeMs);
  }

  /** Forgets every client and event (POST /reset); subscribers must be closed by their owners. */
  clear(): void {
    this.clients.clear();
    this.listening.clear();
    this.nextEventId = 1;
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private append(client: Client, event: SharedEvent, maxEvents: number, cutoff: number): void {
    client.log.append(event, maxEvents);
    client.log.evictStoredBefore(cutoff);
  }

  private wake(clients: Iterable<Client>): void {
    for (const client of clients) {
      const subscribers = client.subscribers;
      if (subscribers === undefined) continue;
      // A long poll unsubscribes itself while being woken; Set iteration tolerates that.
      if (subscribers instanceof Set) for (const subscriber of subscribers) subscriber.onEvents();
      else subscribers.onEvents();
    }
  }

  private evictExpiredEverywhere(): void {
    const cutoff = performance.now() - this.retention.maxAgeMs;
    for (const client of this.clients.values()) client.log.evictStoredBefore(cutoff);
  }
}
