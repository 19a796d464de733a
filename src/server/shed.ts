import type { Socket } from 'node:net';
import type { ErrorBody } from './errors.js';
import type { ServerStats } from './stats.js';

/** Sockets being shed at once before new ones are cut without an answer. */
const SHEDDING_AT_ONCE = 16;
/** How long a shed socket may wait for its peer to read the 503 and close. */
const SHED_GRACE_MS = 1_000;

/**
 * Answers a connection past maxConnections with one clear 503 and closes it. Closing at once
 * could reset the connection before the peer reads the answer (its request may already sit in
 * our receive buffer), so the socket lives until the peer closes or a second passes; in a storm,
 * past SHEDDING_AT_ONCE such sockets, new ones are cut at once so the descriptor reserve holds.
 */
export class ConnectionShedder {
  private shedding = 0;

  constructor(private readonly stats: ServerStats) {}

  /** `tls`: the listener speaks TLS, so a plain-text answer would be noise to the peer; the connection is cut without one. */
  shed(socket: Socket, maxConnections: number, tls = false): void {
    this.stats.shedConnections++;
    socket.on('error', () => undefined);
    if (tls || this.shedding >= SHEDDING_AT_ONCE) {
      socket.destroy();
      return;
    }
    this.shedding++;
    const answer: ErrorBody = {
      error: 'too_many_connections',
      message: `the server holds ${maxConnections} connections, its limit (maxConnections, from its open-file limit); retry later or raise ulimit -n`,
    };
    const body = JSON.stringify(answer);
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\nRetry-After: 1\r\n\r\n${body}`,
    );
    const timer = setTimeout(() => socket.destroy(), SHED_GRACE_MS).unref();
    socket.once('close', () => {
      this.shedding--;
      clearTimeout(timer);
    });
    // Read (and drop) what the peer sent, so that its close is seen.
    socket.resume();
  }
}
