/** The reference server's public API for the runner and the CLI. */
export { startReferenceServer, type RunningServer } from './server.js';
export {
  DEFAULT_SERVER_OPTIONS,
  resolveServerOptions,
  type ServerOptions,
  type ServerOptionsInput,
  type RetentionOptions,
  type SlowConsumerOptions,
  type SseOptions,
  type WebSocketOptions,
  type LongPollOptions,
} from './options.js';
export { TRANSPORTS, type TransportName, type Channel, type ChannelFigures, type StatsSnapshot } from './stats.js';
