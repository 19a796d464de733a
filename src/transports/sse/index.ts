/** Server-Sent Events: one text/event-stream per client, resumed with Last-Event-ID. */
import { sseEvent } from '../../server/wire.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { chunkedBytes, pushModel } from '../wire-bytes.js';
import { createSseClient } from './client.js';
import { checkSseServerOptions, SSE_SERVER_DEFAULTS, SseEndpoint, type SseServerOptions } from './server.js';
import { sseSettings, type SseSettings } from './settings.js';

export const sseTransport = {
  name: 'sse',
  style: 'push',
  summary: 'GET /sse, a text/event-stream held open; the browser EventSource protocol.',
  settings: sseSettings,
  createClient: createSseClient,
  server: {
    defaults: SSE_SERVER_DEFAULTS,
    check: checkSseServerOptions,
    fromSettings: (settings) => ({ heartbeatMs: settings.heartbeatMs ?? 0 }),
    endpoint: (ctx) => new SseEndpoint(ctx),
  },
  framed: false,
  drainExtraMs: () => 0,
  model: (workload, settings) => pushModel(workload, settings.heartbeatMs === null ? ({ seq, event }) => chunkedBytes(sseEvent(seq, event).length) : null),
  rules: (workload, settings) => heartbeatFindings(settings.heartbeatMs, workload),
} satisfies TransportModule<'sse', SseSettings, SseServerOptions>;
