export type { ClientContext, ClientSink, FailureKind, TransportClient } from './types.js';
export { SocketMeter, type ByteCounts } from './socket-meter.js';
export { TimerHeap, sharedTimerHeap, nodeTimerHost, type TimerHost, type TimerTask } from './timer-heap.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry.js';
export {
  TRANSPORTS,
  TRANSPORT_NAMES,
  isTransportName,
  parseTransportName,
  transportModule,
  UnknownTransportError,
  type TransportName,
  type TransportPlan,
  type TransportSettings,
} from './catalog.js';
export type { AnyTransportModule, TransportModule, TransportEndpoint, Workload } from './module.js';
