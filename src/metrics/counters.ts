/**
 * Request-side counters of one client process. Plain mutable fields on purpose: transports
 * bump them on the hot path (`counts.total++`) without a method call or an allocation.
 */
export interface RequestCounts {
  /** HTTP requests sent: polls, long-polls, SSE connects and reconnects, WebSocket handshakes. Count. */
  total: number;
  /** Responses that carried no event (an empty poll, a long-poll timeout). Count. */
  empty: number;
  /** Responses with a status that is neither success nor "nothing new" (4xx, 5xx, a refused handshake). Count. */
  failed: number;
  /** WebSocket frames sent by the clients (client → server). Count. */
  framesUp: number;
  /** WebSocket frames received by the clients (server → client). Count. */
  framesDown: number;
  /** Connection attempts that failed (refused, reset, timed out before a response). Count. */
  connectFailures: number;
  /** Reconnections after a connection that had worked was lost. Count. */
  reconnects: number;
}

/** Counters all at zero. */
export function newRequestCounts(): RequestCounts {
  return { total: 0, empty: 0, failed: 0, framesUp: 0, framesDown: 0, connectFailures: 0, reconnects: 0 };
}

/** Field-by-field `a + sign × b` of two records of counts (exact for integers below 2^53). */
function combineFields<T extends object>(a: T, b: T, sign: 1 | -1): T {
  const out = { ...a };
  for (const key of Object.keys(a) as Array<keyof T>) {
    (out[key] as number) = (a[key] as number) + sign * (b[key] as number);
  }
  return out;
}

/** Field-by-field sum of two records of counts. */
export function sumFields<T extends object>(a: T, b: T): T {
  return combineFields(a, b, 1);
}

/** Field-by-field `later − earlier`: what was counted between two readings. */
export function fieldsSince<T extends object>(later: T, earlier: T): T {
  return combineFields(later, earlier, -1);
}

/** Bytes on the client sockets (`socket.bytesWritten` / `bytesRead`), headers and framing included. */
export interface WireBytes {
  /** Client → server bytes in the measured window, bytes. */
  up: number;
  /** Server → client bytes in the measured window, bytes. */
  down: number;
  /** Client → server bytes over the whole phase (first connect to last disconnect), bytes. */
  phaseUp: number;
  /** Server → client bytes over the whole phase, bytes. */
  phaseDown: number;
}

/** Byte counts all at zero. */
export function newWireBytes(): WireBytes {
  return { up: 0, down: 0, phaseUp: 0, phaseDown: 0 };
}

/** Resource use of one or more processes over the measured window. */
export interface ProcessUsage {
  /** CPU time, user + system, ms; summed over processes. */
  cpuMs: number;
  /**
   * Peak resident set size, bytes; summed over processes (each process's own peak), so an
   * upper bound of the peak the processes held together.
   */
  rssPeakBytes: number;
  /**
   * Event-loop utilisation, 0..1; the highest of any process, because one saturated
   * process is enough to make the generator, not the transport, the bottleneck.
   */
  elu: number;
  /** Number of processes these figures cover. Count. */
  processes: number;
}

/** Usage of no process at all (the identity of `addProcessUsage`). */
export function newProcessUsage(): ProcessUsage {
  return { cpuMs: 0, rssPeakBytes: 0, elu: 0, processes: 0 };
}

/** Combines the usage of two disjoint sets of processes. */
export function addProcessUsage(a: ProcessUsage, b: ProcessUsage): ProcessUsage {
  return {
    cpuMs: a.cpuMs + b.cpuMs,
    rssPeakBytes: a.rssPeakBytes + b.rssPeakBytes,
    elu: Math.max(a.elu, b.elu),
    processes: a.processes + b.processes,
  };
}
