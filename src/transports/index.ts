export type {
  ClientContext, ClientSink, FailureKind, TransportClient, TransportFactory, TransportName, TransportSettings,
} from './types.js';
export { SocketMeter, type ByteCounts } from './socket-meter.js';
export { TimerHeap, sharedTimerHeap, nodeTimerHost, type TimerHost, type TimerTask } from './timer-heap.js';
export { defaultRetryPolicy, type RetryPolicy } from './retry.js';
export {
  isTransportName, parseTransportName, transportClients, transportFactory, transportNames, UnknownTransportError,
} from './registry.js';
