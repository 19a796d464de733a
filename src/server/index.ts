/** The reference server's public API for the runner and the CLI. */
export { startReferenceServer, type RunningServer } from './server.js';
export type { ServerOptionsInput } from './options.js';
export type { StatsSnapshot } from './stats.js';
