import type { Socket } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/**
 * How a simulated client goes offline (docs/conditions.md, "Clients that go offline"):
 * - `close`: it ends its connections cleanly (FIN, a WebSocket close frame) and stops every timer,
 *   as an app sent to the background or a laptop lid closed by a careful OS;
 * - `silent`: all traffic stops both ways without FIN or RST, as a phone in a tunnel: the client
 *   stops reading its sockets and sends nothing (no polls, no pongs, no reconnects).
 */
export const OFFLINE_HOWS = ['close', 'silent'] as const;
export type OfflineHow = (typeof OFFLINE_HOWS)[number];

/**
 * The sockets of one HTTP client (one undici Client), so that going offline with `close` can end
 * them with a FIN: undici has no call that closes a connection but keeps the Client usable (close()
 * and destroy() retire it for good), and its next request simply connects again.
 */
export class OpenSockets {
  private readonly live = new Set<Socket>();

  track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => this.live.delete(socket));
  }

  /** Half-close each socket (FIN); the server closes its side, and undici drops the socket. */
  endAll(): void {
    for (const socket of this.live) socket.end();
  }

  /**
   * Back before a socket ended by endAll() has closed: destroy it, so that undici (which checks
   * `destroyed`, not whether our side was ended) connects anew instead of writing after the end.
   */
  dropEnded(): void {
    for (const socket of this.live) if (socket.writableEnded) socket.destroy();
  }
}

/**
 * Holds an undici response while its client is silent. `controller.pause()` makes undici's parser
 * stop reading the socket (client-h1 `readMore`), so what the server sends meanwhile stays in the
 * kernel and the receive window closes, and a paused parser is not timed out. A pause only takes
 * effect at the parser's next callback, so the one callback that may still come (headers or a body
 * chunk) is queued and replayed on release, before the parser resumes: the client sees it at its
 * return, as a phone would. Hand-written: undici pauses, but nothing queues what a pause lets by.
 */
export class HandlerGate implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private held = false;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly inner: Dispatcher.DispatchHandler) {}

  /** Stop reading the in-flight response (if any) until release(). */
  hold(): void {
    this.held = true;
    this.controller?.pause();
  }

  /** Replay what came while held, then let the parser read again. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const paused = this.controller;
    for (let job = this.queue.shift(); job !== undefined && !this.held; job = this.queue.shift()) job();
    if (!this.held) paused?.resume();
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.controller = controller;
    if (this.held) controller.pause();
    this.inner.onRequestStart?.(controller, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.pass(() => this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.pass(() => this.inner.onResponseData?.(controller, chunk));
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.pass(() => this.inner.onResponseEnd?.(controller, trailers));
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.pass(() => this.inner.onResponseError?.(controller, error));
  }

  private pass(job: () => void): void {
    if (this.held) {
      this.controller?.pause();
      this.queue.push(job);
    } else {
      job();
    }
  }
}

/**
 * What an undici client does on going offline, one request at a time: `close` ends its sockets
 * cleanly (a request then in flight is abandoned: its answer, if one slips through, brought the
 * client nothing); `silent` holds the response being read. Says whether a request was abandoned.
 */
export function leaveConnection(how: OfflineHow, sockets: OpenSockets, gate: HandlerGate, inFlight: boolean): boolean {
  if (how === 'silent') {
    gate.hold();
    return false;
  }
  sockets.endAll();
  return inFlight;
}
