/**
 * A user-space TCP proxy that shapes each connection like a network link: every chunk is held
 * until its DelayLine says it arrives (latency, jitter, bandwidth), per direction. This kernel has
 * no netem qdisc, and a user's machine may allow no qdisc at all, so shaping happens here, above
 * TCP: it delays and paces bytes, but it cannot drop or reorder packets (TCP would hide a loss
 * as a retransmission delay, which a proxy cannot reproduce faithfully; docs/conditions.md).
 *
 * Node's timers wake about 1 ms late here, so each direction keeps one timer for its earliest
 * chunk and writes every chunk that is due when it fires (never one timer per chunk); a chunk
 * that is due at once (an unshaped direction) is written at once, without a timer.
 *
 * With an idle timeout it also acts as a load balancer does: a connection that carried no byte
 * either way for that long is closed on both sides with a FIN, after any bytes still in flight
 * (ALB, nginx and HAProxy close idle connections this way; an RST would be a NAT table that
 * forgot the connection, which shows up only when the next packet is sent).
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { DelayLine, type LinkDirection } from './delay-line.js';
import { IdleTimer } from './idle-timer.js';

export interface LinkShape {
  /** Client → server. */
  up: LinkDirection;
  /** Server → client. */
  down: LinkDirection;
}

export interface ShapingProxyOptions {
  /** Where connections go, e.g. the reference server. */
  targetHost: string;
  targetPort: number;
  shape: LinkShape;
  /** Seeded randomness for the jitter, in [0, 1): one stream per connection (numbered from 0 in accept order) and direction. */
  random: (connection: number, direction: 'up' | 'down') => () => number;
  /** Close a connection idle this long in both directions (both sides get a FIN), ms; none when absent. */
  idleTimeoutMs?: number;
  /** Bytes a direction may hold before it stops reading its source (TCP backpressure then reaches the sender); by default see queueLimit. */
  maxQueuedBytes?: number;
  /** Clock, ms; performance.now() by default. */
  now?: () => number;
}

const UNLIMITED_QUEUE_BYTES = 1024 * 1024;
const MIN_QUEUE_BYTES = 64 * 1024;
/** A bottleneck's buffer, in time at its rate: a few hundred ms is what cellular and DSL buffers hold. */
const QUEUE_SECONDS = 0.25;

/**
 * What a direction holds before the sender feels back-pressure. Behind a rate limit, that is
 * the bottleneck's buffer (QUEUE_SECONDS of its rate, at least 64 KiB): a larger one would let a
 * server believe a slow link took bytes it has not. Without a limit, the bytes in flight for
 * the latency, bounded at 1 MiB.
 */
function queueLimit(link: LinkDirection): number {
  return link.bytesPerSecond === null ? UNLIMITED_QUEUE_BYTES : Math.max(MIN_QUEUE_BYTES, Math.ceil(link.bytesPerSecond * QUEUE_SECONDS));
}

/** The proxy's own figures, so a run can tell when the proxy, not the transport, is the limit. */
export interface ProxyCounts {
  /** Connections accepted. Count. */
  connections: number;
  /** Bytes forwarded client → server and server → client. */
  bytesUp: number;
  bytesDown: number;
  /** Times a direction stopped reading because its queue was full. Count. */
  pauses: number;
  /** Connections closed by the idle timeout. Count. */
  idleCuts: number;
}

/** After an idle cut, how long the two sides get to close before they are destroyed, ms. */
const CUT_GRACE_MS = 5_000;

export class ShapingProxy {
  private readonly server: Server;
  private readonly pipes = new Set<ShapedPipe>();
  readonly counts: ProxyCounts = { connections: 0, bytesUp: 0, bytesDown: 0, pauses: 0, idleCuts: 0 };

  private constructor(private readonly options: ShapingProxyOptions) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  /** Listens on 127.0.0.1 (an ephemeral port unless given); resolves once it does. */
  static async start(options: ShapingProxyOptions, port = 0): Promise<ShapingProxy> {
    const proxy = new ShapingProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen({ host: '127.0.0.1', port, backlog: 65_535 }, () => {
        proxy.server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const pipe of this.pipes) pipe.destroy();
    await closed;
  }

  private accept(client: Socket): void {
    const connection = this.counts.connections++;
    const target = connect({ host: this.options.targetHost, port: this.options.targetPort, noDelay: true });
    const up = this.direction(client, target, connection, 'up', (bytes) => (this.counts.bytesUp += bytes));
    const down = this.direction(target, client, connection, 'down', (bytes) => (this.counts.bytesDown += bytes));
    const pipe = new ShapedPipe(up, down, () => {
      idle?.stop();
      this.pipes.delete(pipe);
    });
    const { idleTimeoutMs } = this.options;
    const idle =
      idleTimeoutMs === undefined
        ? undefined
        : new IdleTimer(idleTimeoutMs, () => {
            this.counts.idleCuts++;
            pipe.cut();
          });
    if (idle) for (const socket of [client, target]) socket.on('data', () => idle.touch());
    this.pipes.add(pipe);
  }

  /** One direction of a new connection, shaped like its link, counting what it forwards. */
  private direction(source: Socket, sink: Socket, connection: number, side: 'up' | 'down', forwarded: (bytes: number) => void): Direction {
    const now = this.options.now ?? (() => performance.now());
    const line = new DelayLine(this.options.shape[side], this.options.random(connection, side), now());
    const link = this.options.shape[side];
    return new Direction(source, sink, line, now, this.options.maxQueuedBytes ?? queueLimit(link), forwarded, () => this.counts.pauses++);
  }
}

/** Both directions of one proxied connection; an error on either side ends both. */
class ShapedPipe {
  private done = false;

  constructor(
    private readonly up: Direction,
    private readonly down: Direction,
    private readonly onDone: () => void,
  ) {
    for (const direction of [up, down]) direction.onFailure(() => this.destroy());
    let ended = 0;
    const bothEnded = () => {
      if (++ended === 2) this.finish();
    };
    up.onEnded(bothEnded);
    down.onEnded(bothEnded);
  }

  destroy(): void {
    this.up.destroy();
    this.down.destroy();
    this.finish();
  }

  /** The idle timeout passed: a FIN to both sides (after what is still in flight), then, if they linger, the end. */
  cut(): void {
    this.up.close();
    this.down.close();
    setTimeout(() => this.destroy(), CUT_GRACE_MS).unref();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onDone();
  }
}

/** One direction: read from `source`, hold each chunk until it arrives, write it to `sink`; pass the FIN on in order too. */
class Direction {
  private readonly queue: Array<{ atMs: number; chunk: Buffer | null }> = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  /** The FIN is queued: later bytes from the source are dropped, as a closed connection drops them. */
  private closed = false;
  /** The sink's buffer is full: nothing more is written until it drains. */
  private waitingForDrain = false;
  private ended: (() => void) | undefined;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly line: DelayLine,
    private readonly now: () => number,
    private readonly maxQueuedBytes: number,
    private readonly onForwarded: (bytes: number) => void,
    private readonly onPause: () => void,
  ) {
    source.on('data', (chunk: Buffer) => this.hold(chunk));
    // The FIN travels like the bytes before it: it must not overtake them.
    source.on('end', () => this.close());
  }

  /** Sends the FIN on, after the bytes before it; once only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.enqueue(null, this.line.arrival(0, this.now()));
  }

  onFailure(listener: () => void): void {
    this.source.on('error', listener);
    this.source.on('close', (hadError) => {
      if (hadError) listener();
    });
  }

  onEnded(listener: () => void): void {
    this.ended = listener;
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.source.destroy();
    this.sink.destroy();
  }

  private hold(chunk: Buffer): void {
    if (this.closed) return;
    this.enqueue(chunk, this.line.arrival(chunk.length, this.now()));
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > this.maxQueuedBytes && !this.paused) {
      this.paused = true;
      this.onPause();
      this.source.pause();
    }
  }

  private enqueue(chunk: Buffer | null, atMs: number): void {
    this.queue.push({ atMs, chunk });
    if (this.queue.length > 1) return;
    // Due already (an unshaped direction): no timer, which would add its own millisecond.
    if (atMs <= this.now()) this.release();
    else this.arm();
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.release(), Math.max(0, head.atMs - this.now()));
  }

  /** Writes every chunk that is due (a late timer delays chunks, never drops or reorders them). */
  private release(): void {
    if (this.waitingForDrain) return;
    const nowMs = this.now();
    while (this.queue[0] && this.queue[0].atMs <= nowMs) {
      const { chunk } = this.queue.shift()!;
      if (chunk === null) {
        this.sink.end();
        this.ended?.();
        return;
      }
      this.queuedBytes -= chunk.length;
      this.onForwarded(chunk.length);
      // A receiver that does not keep up holds the line, as it would on a real link.
      if (!this.sink.write(chunk)) {
        this.waitingForDrain = true;
        this.sink.once('drain', () => {
          this.waitingForDrain = false;
          this.release();
        });
        break;
      }
    }
    if (this.paused && this.queuedBytes <= this.maxQueuedBytes / 2) {
      this.paused = false;
      this.source.resume();
    }
    if (!this.waitingForDrain) this.arm();
  }
}
