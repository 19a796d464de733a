/** HTTP streaming: one chunked body of newline-delimited JSON per client, resumed with after=. */
import { ndjsonEvent } from '../../server/wire.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { chunkedBytes, pushModel } from '../wire-bytes.js';
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
  model: (workload, settings) => pushModel(workload, settings.heartbeatMs === null ? ({ seq, event }) => chunkedBytes(ndjsonEvent(seq, event).length) : null),
  rules: (workload, settings) => heartbeatFindings(settings.heartbeatMs, workload),
} satisfies TransportModule<'http-stream', HttpStreamSettings, HttpStreamServerOptions>;
