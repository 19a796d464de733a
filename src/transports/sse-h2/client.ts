import { SseReader } from '../sse/client.js';
import { StreamClient } from '../stream-client.js';
import type { ClientContext, TransportClient } from '../types.js';
import { sharedH2Connection } from './connection-pool.js';
import type { SseH2Settings } from './settings.js';

/**
 * Server-Sent Events over HTTP/2 and TLS: the same stream and resume as sse (SseReader), each
 * client's stream one HTTP/2 stream on a connection it shares with `streamsPerConnection − 1`
 * others (connection-pool.ts). Offline with `close` it cancels its own stream (RST_STREAM) and
 * leaves the connection to the others; a chat message goes up as another stream beside it.
 */
export function createSseH2Client(ctx: ClientContext<SseH2Settings>): TransportClient {
  return new StreamClient(ctx, new SseReader(ctx), sharedH2Connection(ctx));
}
