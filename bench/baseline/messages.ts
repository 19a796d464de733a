/** What the raw baseline's processes and bench/lib/baseline-run.ts say to each other over IPC. */

/** `sse-h2`: SSE over node:http2 and TLS, a connection per client. */
export type BaselineKind = 'ws' | 'sse' | 'ndjson' | 'sse-h2';

/** Times are process.hrtime.bigint() values as decimal strings (IPC carries no bigint). */
export interface StartClients {
  type: 'start';
  kind: BaselineKind;
  port: number;
  first: number;
  count: number;
  fleetSize: number;
  rampStartNs: string;
  rampUpMs: number;
  localAddresses: string[];
  /** The authority the clients trust (sse-h2 only): the baseline server's own, made for the run. */
  ca?: string;
}
export interface SetWindow {
  type: 'window';
  windowStartNs: string;
  windowEndNs: string;
}
export interface StartBroadcasts {
  type: 'broadcast';
  startNs: string;
  ratePerS: number;
  untilNs: string;
  payloadBytes: number;
}

export interface ServerReady {
  type: 'ready';
  port: number;
  idleRssBytes: number;
  /** sse-h2 only: the CA of the server's certificate. */
  ca?: string;
  [field: string]: unknown;
}
export interface ServerUsage {
  type: 'usage';
  /** CPU ms since the mark. */
  cpuMs: number;
  rssPeakBytes: number;
  /** Event-loop utilisation since the mark, 0..1. */
  elu: number;
  connections: number;
  [field: string]: unknown;
}
export interface ClientsConnected {
  type: 'connected';
  connected: number;
  failed: number;
  [field: string]: unknown;
}
export interface ClientsReport {
  type: 'report';
  delivered: number;
  /** The latency histogram, encoded (metrics/histogram.ts). */
  latency: string;
  cpuMs: number;
  elu: number;
  rssPeakBytes: number;
  [field: string]: unknown;
}
