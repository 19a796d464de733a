/**
 * The runner's side of an nchan target: publishing is a POST to nchan's publisher location per
 * event (one message to every channel it names); there is nothing to register, and a phase's
 * fresh start is a fresh channel namespace. nchan has no figures of push-bench's kind: server
 * figures are "not measured" unless the run watches its process (--target-pid).
 */
import { Pool } from 'undici';
import type { DialectSpec, PublishAnswer, PublishSpec, TargetControl } from '../control.js';
import { eventText, newNamespace, RelayControl } from '../relay.js';
import { broadcastChannel, channelsQuery, clientChannel, type NchanPaths } from './layout.js';

/** nchan publishes to at most this many channels in one request (its multiplexing limit). */
const MAX_CHANNELS_PER_PUBLISH = 255;

export class NchanControl extends RelayControl implements TargetControl {
  private readonly pool: Pool;
  private clients = 0;

  constructor(
    readonly baseUrl: string,
    private readonly paths: NchanPaths,
  ) {
    super('nchan');
    this.pool = new Pool(baseUrl, { connections: 1, keepAliveTimeout: 60_000 });
  }

  register(ids: readonly string[]): Promise<void> {
    // nchan creates a channel on its first message or subscriber: there is nothing to tell it.
    this.clients = ids.length;
    return Promise.resolve();
  }

  reset(): Promise<void> {
    this.namespace = newNamespace();
    return Promise.resolve();
  }

  dialect(): DialectSpec {
    const { subscribe, longPoll, poll } = this.paths;
    return { adapter: 'nchan', subscribe, longPoll, poll, namespace: this.namespace };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  protected async publishInOrder(specs: readonly PublishSpec[]): Promise<PublishAnswer[]> {
    const answers: PublishAnswer[] = [];
    for (const spec of specs) {
      const channels = spec.to === 'all' ? [broadcastChannel(this.namespace)] : spec.to.map((id) => clientChannel(this.namespace, id));
      // The message is the event without a seq: nchan relays it untouched, and clients turn the ordinal into their seq.
      const body = eventText(spec);
      for (let i = 0; i < channels.length; i += MAX_CHANNELS_PER_PUBLISH) {
        await this.post(channels.slice(i, i + MAX_CHANNELS_PER_PUBLISH), body);
      }
      // nchan says nothing of when it stored the message: its answer's arrival bounds it from above.
      answers.push({ id: spec.index, recipients: spec.to === 'all' ? this.clients : spec.to.length, publishedAt: process.hrtime.bigint().toString() });
    }
    return answers;
  }

  private async post(channels: readonly string[], body: string): Promise<void> {
    const path = `${this.paths.publish}?${channelsQuery(channels)}`;
    const response = await this.pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
    const text = await response.body.text();
    if (response.statusCode !== 201 && response.statusCode !== 202) {
      throw new Error(`nchan answered POST ${this.paths.publish} with ${response.statusCode}: ${text.slice(0, 300)}`);
    }
  }
}
