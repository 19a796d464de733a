import type { ChatRooms } from './chat.js';
import type { ServerOptions } from './options.js';
import type { ServerStats } from './stats.js';
import type { EventStore } from './store.js';

/** What every endpoint handler needs; one per running server (tests run several side by side). */
export interface ServerContext {
  readonly options: ServerOptions;
  readonly store: EventStore;
  readonly stats: ServerStats;
  readonly rooms: ChatRooms;
}
