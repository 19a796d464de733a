/** WebSocket: one connection per client, one text frame per event. */
import { eventJson } from '../../server/wire.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { pushModel, websocketFrameBytes } from '../wire-bytes.js';
import { createWebSocketClient } from './client.js';
import { checkWebSocketServerOptions, WEBSOCKET_SERVER_DEFAULTS, WebSocketEndpoint, type WebSocketServerOptions } from './server.js';
import { websocketSettings, type WebSocketSettings } from './settings.js';

export const websocketTransport = {
  name: 'websocket',
  style: 'push',
  summary: 'GET /ws upgraded to a WebSocket; one text frame per event.',
  settings: websocketSettings,
  createClient: createWebSocketClient,
  server: {
    defaults: WEBSOCKET_SERVER_DEFAULTS,
    check: checkWebSocketServerOptions,
    fromSettings: (settings) => ({ heartbeatMs: settings.heartbeatMs ?? 0, compression: settings.compression }),
    endpoint: (ctx) => new WebSocketEndpoint(ctx),
  },
  framed: true,
  drainExtraMs: () => 0,
  model: (workload, settings) =>
    pushModel(workload, settings.heartbeatMs === null && !settings.compression ? ({ seq, event }) => websocketFrameBytes(eventJson(seq, event).length) : null),
  rules: (workload, settings) => heartbeatFindings(settings.heartbeatMs, workload),
} satisfies TransportModule<'websocket', WebSocketSettings, WebSocketServerOptions>;
