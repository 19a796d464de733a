/** WebSocket: one connection per client, one text frame per event. */
import { pushFigures } from '../../metrics/model.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
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
  model: (workload) =>
    pushFigures({ link: workload.link, payloadBytes: workload.payloadBytes, ratePerS: workload.ratePerClientPerS, arrival: workload.arrival }),
  rules: (workload, settings) => heartbeatFindings(settings.heartbeatMs, workload),
} satisfies TransportModule<'websocket', WebSocketSettings, WebSocketServerOptions>;
