/**
 * Where nchan's locations are and how push-bench names its channels there. The defaults are the
 * layout of examples/nchan/nginx.conf and `push-bench serve-nchan`; a scenario's `target:` block
 * may name other paths for a server of one's own.
 */

export interface NchanPaths {
  /** nchan_publisher: POST PATH?id=CHANNEL[,CHANNEL...] publishes one message to every channel named. */
  publish: string;
  /** nchan_subscriber websocket eventsource (chosen by the request): GET PATH?id=CHANNEL,CHANNEL; no timeout, so streams are never cut. */
  subscribe: string;
  /** nchan_subscriber longpoll, whose nchan_subscriber_timeout ends a hold with 408. */
  longPoll: string;
  /** nchan_subscriber intervalpoll, for short polling. */
  poll: string;
}

export const NCHAN_DEFAULT_PATHS: NchanPaths = { publish: '/pub', subscribe: '/sub', longPoll: '/long-poll', poll: '/poll' };

/**
 * Each client listens on two channels at once (nchan multiplexes them on one subscriber): its
 * own, for events addressed to it by name, and the phase's broadcast channel, for events to
 * all. The namespace is new for every phase, so no message of an earlier phase (nchan keeps
 * them for its message timeout) can reach a later one.
 */
export function clientChannel(namespace: string, clientId: string): string {
  return `${namespace}.${clientId}`;
}

export function broadcastChannel(namespace: string): string {
  return `${namespace}.all`;
}

/**
 * The `id` query naming several channels, split by nchan_channel_id_split_delimiter ",". Not
 * percent-encoded: nchan reads $arg_id as sent, and channel names are made of [A-Za-z0-9_.-]
 * (a client id's characters) only.
 */
export function channelsQuery(channels: readonly string[]): string {
  return `id=${channels.join(',')}`;
}

/** A subscriber's query: its own channel and the broadcast channel. */
export function subscriberQuery(namespace: string, clientId: string): string {
  return channelsQuery([clientChannel(namespace, clientId), broadcastChannel(namespace)]);
}
