/** The reference server's public API for the runner and the CLI. */
export { startReferenceServer, type RunningServer } from './server.js';
export {
  resolveServerOptions,
  type ServerOptions,
  type ServerOptionsInput,
  type RetentionOptions,
  type SlowConsumerOptions,
  type TransportServerOptions,
} from './options.js';
export type { Channel, ChannelFigures, StatsSnapshot } from './stats.js';
