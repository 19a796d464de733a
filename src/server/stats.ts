import type { Socket } from 'node:net';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

import { readRss } from '../tool/rss.js';
import type { ServedTransportName } from '../transports/catalog.js';

/**
 * A transport's name as scenarios spell it (so the runner can index /stats without a mapping),
 * `chat`: messages sent up with POST /send, or `control`: everything else (/publish, /clients,
 * /rooms, /stats, /health, 404s).
 */
export type Channel = ServedTransportName | 'chat' | 'control';

/** Counters of one channel since the last reset (plus `open`, a gauge that a reset keeps). */
export class ChannelCounters {
  /** Gauge: open streams, held long polls (always 0 for polling: polls are answered at once). */
  open = 0;
  requests = 0;
  /** Responses that carried no event (an empty poll, a long poll that timed out). */
  emptyResponses = 0;
  eventsSent = 0;
  /** Events announced as lost by a gap marker (retention passed them by). */
  gapEvents = 0;
  /** Times a stream had to wait because its socket buffer passed the bound. */
  slowConsumerPauses = 0;
  /** Events a slow stream skipped because retention dropped them while it was blocked. */
  slowConsumerSkippedEvents = 0;
  /** Streams closed because they stayed blocked past slowConsumer.stallTimeoutMs. */
  slowConsumerDisconnects = 0;
  /** Connections closed because they missed a heartbeat (WebSocket pong). */
  heartbeatTimeouts = 0;
  /** Over those closes: time since the server last heard from the client (its open or latest pong), summed, ms. */
  heartbeatSilenceMsTotal = 0;
  /** The longest of those times, ms. */
  heartbeatSilenceMsMax = 0;
  /** Heartbeats sent on idle connections (SSE comments, empty NDJSON lines, WebSocket pings): each one wakes the client. */
  heartbeats = 0;
  /** Bytes the heartbeats took on the wire, both ways: what the server wrote for them (framing included) and the pongs it read. */
  heartbeatBytes = 0;
  /** Long polls answered 204 because nothing arrived in time. */
  timeouts = 0;
  bytesRead = 0;
  bytesWritten = 0;

  resetCounters(): void {
    const open = this.open;
    Object.assign(this, new ChannelCounters());
    this.open = open;
  }
}

/** Bytes already counted for one socket, and the channel its next bytes belong to. */
interface SocketAccount {
  socket: Socket;
  channel: Channel;
  readBase: number;
  writtenBase: number;
  /** Set by the first transport stream of an HTTP/2 session: the channel then keeps the socket. */
  pinned: boolean;
  /** The stats that keep this account, for the close listener below. */
  stats: ServerStats;
}

const ACCOUNT = Symbol('push-bench.socketAccount');
type AccountedSocket = Socket & { [ACCOUNT]?: SocketAccount };

/** Every tracked socket's close listener: one function for all, not a closure per socket (memory per connection is measured against a plain server). */
function forgetSocket(this: Socket): void {
  const account = (this as AccountedSocket)[ACCOUNT]!;
  account.stats.forget(account);
}

export type ChannelFigures = Omit<ChannelCounters, 'resetCounters'> & {
  /** Gauge: open TCP sockets whose latest request was for this channel (idle keep-alive ones included). */
  sockets: number;
  /** Gauge: bytes queued in user space on those sockets, in total and on the fullest one. */
  bufferedBytes: number;
  maxSocketBufferedBytes: number;
};

export interface StatsSnapshot {
  /** Milliseconds since the last reset (or the start). */
  sinceResetMs: number;
  cpu: { userMs: number; systemMs: number; totalMs: number };
  memory: { rssBytes: number; rssPeakBytes: number };
  eventLoop: { utilization: number; activeMs: number; idleMs: number };
  events: {
    published: number;
    /** Times an event's shared part was serialised: equals `published` (one per event, not per client). */
    serialised: number;
    /** Sum of recipients over published events (events appended to client logs). */
    appended: number;
  };
  /** `listening`: clients with an open stream, WebSocket or held long poll right now. */
  clients: { registered: number; listening: number };
  /** Open TCP sockets of every kind (idle keep-alive sockets included). */
  tcpSockets: number;
  transports: Record<Channel, ChannelFigures>;
  slowConsumerDrops: { disconnects: number; skippedEvents: number };
  /**
   * Since the server started (a reset keeps them): connections the kernel queued but the server
   * could not accept (EMFILE/ENFILE: out of file descriptors; libuv closes them at once), and
   * connections answered 503 and closed because maxConnections were open, and RSS readings
   * that failed for want of a descriptor (the last good one is reported).
   */
  resourceErrors: { acceptFailures: number; shedConnections: number; rssReadFailures: number };
  /** Set by the runner when it summed the snapshots of several server processes: each one's own cost, in process order. */
  processes?: ProcessCost[];
}

/** One server process's cost since the last reset. */
interface ProcessCost {
  cpuMs: number;
  rssPeakBytes: number;
  elu: number;
}

/**
 * The server's own figures. Bytes are taken from the sockets themselves (bytesRead/bytesWritten
 * deltas), so HTTP headers, chunk framing and WebSocket frame headers are all included, and each
 * delta goes to the transport that used the socket at that moment (keep-alive sockets can serve
 * several transports in turn).
 */
export class ServerStats {
  readonly channels: Record<Channel, ChannelCounters>;
  published = 0;
  serialised = 0;
  appended = 0;
  acceptFailures = 0;
  shedConnections = 0;
  private rssReadFailures = 0;
  private readonly accounts = new Set<SocketAccount>();
  private resetAt = performance.now();
  private cpuBase = process.cpuUsage();
  private eluBase: EventLoopUtilization = performance.eventLoopUtilization();
  private lastRss = readRss() ?? 0;
  private rssPeak = this.lastRss;
  private readonly sampler: NodeJS.Timeout;

  private readonly channelNames: readonly Channel[];
  private readonly transportNames: readonly Channel[];

  /** `transports`: the catalog's names, in order; each gets a channel, and so do `chat` and `control`. */
  constructor(
    transports: readonly string[],
    private readonly countClients: () => { registered: number; listening: number },
    rssSampleMs = 100,
  ) {
    // A copied catalog (tests add a toy transport) brings names the Channel type does not know.
    this.transportNames = transports as readonly Channel[];
    this.channelNames = [...this.transportNames, 'chat', 'control'];
    this.channels = Object.fromEntries(this.channelNames.map((c) => [c, new ChannelCounters()])) as Record<Channel, ChannelCounters>;
    // Peak RSS between two /stats reads would be missed without sampling; unref'd so it never holds the process.
    this.sampler = setInterval(() => this.sampleRss(), rssSampleMs).unref();
  }

  /** Open TCP sockets the server tracks. */
  get openSockets(): number {
    return this.accounts.size;
  }

  /** Every open TCP socket, to cut them when the server closes (an HTTP/2 server has no closeAllConnections). */
  trackedSockets(): Socket[] {
    return [...this.accounts].map((account) => account.socket);
  }

  /** Called once per accepted TCP connection. */
  trackSocket(socket: Socket): void {
    const account: SocketAccount = { socket, channel: 'control', readBase: socket.bytesRead, writtenBase: socket.bytesWritten, pinned: false, stats: this };
    (socket as AccountedSocket)[ACCOUNT] = account;
    this.accounts.add(account);
    socket.once('close', forgetSocket);
  }

  /** A tracked socket closed: its last bytes go to its channel, and it is no longer counted. */
  forget(account: SocketAccount): void {
    this.settle(account);
    this.accounts.delete(account);
  }

  /**
   * `tls` carries its traffic over the tracked TCP socket `tcp`: requests name the TLS socket, its
   * bytes are counted on the TCP one. A TLS socket's own bytesRead/bytesWritten count plaintext
   * (HTTP/2 frames or HTTP/1.1 text, before encryption); the TCP socket under it counts what
   * crosses the wire: TLS records, handshake included.
   */
  shareAccount(tls: Socket, tcp: Socket): void {
    const account = (tcp as AccountedSocket)[ACCOUNT];
    if (account) (tls as AccountedSocket)[ACCOUNT] = account;
  }

  /**
   * The socket starts serving `channel`. Bytes read since the last settle (the request line and
   * headers that led here) belong to the new channel, so nothing is settled at this point.
   * `multiplexed` (an HTTP/2 stream): many streams share the socket at once and its bytes cannot
   * be split between them, so the first transport stream takes the socket for good: its channel
   * gets every later byte of the connection, the control requests on it included.
   */
  assignSocket(socket: Socket, channel: Channel, multiplexed = false): void {
    const account = (socket as AccountedSocket)[ACCOUNT];
    if (!account || account.pinned) return;
    account.channel = channel;
    if (multiplexed && channel !== 'control') account.pinned = true;
  }

  /** The TCP socket that carries `socket`'s bytes (itself unless it is a TLS socket over a tracked one). */
  wireSocket(socket: Socket | null | undefined): Socket | undefined {
    if (!socket) return undefined;
    return (socket as AccountedSocket)[ACCOUNT]?.socket ?? socket;
  }

  /** A response finished: its bytes go to the channel that served it. */
  settleSocket(socket: Socket | null | undefined): void {
    const account = socket ? (socket as AccountedSocket)[ACCOUNT] : undefined;
    if (account) this.settle(account);
  }

  reset(): void {
    for (const c of this.channelNames) this.channels[c].resetCounters();
    this.published = this.serialised = this.appended = 0;
    for (const account of this.accounts) {
      account.readBase = account.socket.bytesRead;
      account.writtenBase = account.socket.bytesWritten;
    }
    this.resetAt = performance.now();
    this.cpuBase = process.cpuUsage();
    this.eluBase = performance.eventLoopUtilization();
    this.rssPeak = this.sampleRss();
  }

  snapshot(): StatsSnapshot {
    const rss = this.sampleRss();
    const cpu = process.cpuUsage(this.cpuBase);
    const elu = performance.eventLoopUtilization(this.eluBase);
    const transports = {} as StatsSnapshot['transports'];
    for (const c of this.channelNames) {
      // A spread copies the counters (own fields), not the prototype's resetCounters.
      transports[c] = { ...this.channels[c], sockets: 0, bufferedBytes: 0, maxSocketBufferedBytes: 0 };
    }
    // Long-lived streams settle only when they end; add what they moved so far.
    for (const account of this.accounts) {
      const t = transports[account.channel];
      t.bytesRead += account.socket.bytesRead - account.readBase;
      t.bytesWritten += account.socket.bytesWritten - account.writtenBase;
      t.sockets++;
      const buffered = account.socket.writableLength;
      t.bufferedBytes += buffered;
      if (buffered > t.maxSocketBufferedBytes) t.maxSocketBufferedBytes = buffered;
    }
    let disconnects = 0;
    let skippedEvents = 0;
    for (const c of this.transportNames) {
      disconnects += this.channels[c].slowConsumerDisconnects;
      skippedEvents += this.channels[c].slowConsumerSkippedEvents;
    }
    return {
      sinceResetMs: performance.now() - this.resetAt,
      cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000, totalMs: (cpu.user + cpu.system) / 1000 },
      memory: { rssBytes: rss, rssPeakBytes: this.rssPeak },
      eventLoop: { utilization: elu.utilization, activeMs: elu.active, idleMs: elu.idle },
      events: { published: this.published, serialised: this.serialised, appended: this.appended },
      clients: this.countClients(),
      tcpSockets: this.accounts.size,
      transports,
      slowConsumerDrops: { disconnects, skippedEvents },
      resourceErrors: { acceptFailures: this.acceptFailures, shedConnections: this.shedConnections, rssReadFailures: this.rssReadFailures },
    };
  }

  close(): void {
    clearInterval(this.sampler);
  }

  /** The latest RSS (the last good reading while the process is out of file descriptors). */
  private sampleRss(): number {
    const rss = readRss();
    if (rss === undefined) {
      this.rssReadFailures++;
      return this.lastRss;
    }
    this.lastRss = rss;
    if (rss > this.rssPeak) this.rssPeak = rss;
    return rss;
  }

  private settle(account: SocketAccount): void {
    const read = account.socket.bytesRead;
    const written = account.socket.bytesWritten;
    const counters = this.channels[account.channel];
    counters.bytesRead += read - account.readBase;
    counters.bytesWritten += written - account.writtenBase;
    account.readBase = read;
    account.writtenBase = written;
  }
}
