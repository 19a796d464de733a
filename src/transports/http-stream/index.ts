/** HTTP streaming: one chunked body of newline-delimited JSON per client, resumed with after=. */
import { pushFigures } from '../../metrics/model.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { createHttpStreamClient } from './client.js';
import { checkHttpStreamServerOptions, HTTP_STREAM_SERVER_DEFAULTS, HttpStreamEndpoint, type HttpStreamServerOptions } from './server.js';
import { httpStreamSettings, type HttpStreamSettings } from './settings.js';

export const httpStreamTransport = {
  name: 'http-stream',
  style: 'push',
  summary: "GET /stream, a chunked application/x-ndjson body held open; what a page reads with fetch()'s body stream.",
  settings: httpStreamSettings,
  createClient: createHttpStreamClient,
  server: {
    defaults: HTTP_STREAM_SERVER_DEFAULTS,
    check: checkHttpStreamServerOptions,
    fromSettings: (settings) => ({ heartbeatMs: settings.heartbeatMs ?? 0 }),
    endpoint: (ctx) => new HttpStreamEndpoint(ctx),
  },
  framed: false,
  drainExtraMs: () => 0,
  // Framing per event differs from SSE's, which the model does not see: the same push figures hold.
  model: (workload) =>
    pushFigures({ link: workload.link, payloadBytes: workload.payloadBytes, ratePerS: workload.ratePerClientPerS, arrival: workload.arrival }),
  rules: (workload, settings) => heartbeatFindings(settings.heartbeatMs, workload),
} satisfies TransportModule<'http-stream', HttpStreamSettings, HttpStreamServerOptions>;
