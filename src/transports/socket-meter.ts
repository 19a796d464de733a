import type { Socket } from 'node:net';

export interface ByteCounts {
  /** bytes written by the clients (requests, WS frames up), headers and framing included */
  up: number;
  /** bytes read by the clients (responses, streams, WS frames down), headers and framing included */
  down: number;
}

/**
 * Counts bytes on client sockets as the kernel saw them (`bytesWritten` / `bytesRead`), so HTTP
 * headers, chunk framing, SSE field names and WebSocket frame headers are all included.
 * Live sockets are read at snapshot time; a closed socket's final count is kept.
 */
export class SocketMeter {
  private readonly live = new Set<Socket>();
  private closedUp = 0;
  private closedDown = 0;
  private tracked = 0;

  /** Register a socket; call before anything is written to it so that nothing is missed. */
  track(socket: Socket): void {
    if (this.live.has(socket)) return;
    this.live.add(socket);
    this.tracked++;
    socket.once('close', () => {
      this.closedUp += socket.bytesWritten;
      this.closedDown += socket.bytesRead;
      this.live.delete(socket);
    });
  }

  /** Sum over every socket ever tracked. */
  snapshot(): ByteCounts {
    let up = this.closedUp;
    let down = this.closedDown;
    for (const socket of this.live) {
      up += socket.bytesWritten;
      down += socket.bytesRead;
    }
    return { up, down };
  }

  /** Sockets open now. */
  get openSockets(): number {
    return this.live.size;
  }

  /** Sockets ever tracked (a rising count under polling means keep-alive is not holding). */
  get trackedSockets(): number {
    return this.tracked;
  }
}
