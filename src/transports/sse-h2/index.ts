/** Server-Sent Events over HTTP/2 and TLS: many clients' streams multiplexed on one connection, as a browser's tabs share one. */
import { sseEvent } from '../../server/wire.js';
import { heartbeatFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { h2OverTlsBytes, pushModel } from '../wire-bytes.js';
import { checkSseServerOptions, SSE_SERVER_DEFAULTS, SseEndpoint, type SseServerOptions } from '../sse/server.js';
import { createSseH2Client } from './client.js';
import { sseH2Settings, type SseH2Settings } from './settings.js';

/** Streams a connection holds on average: groups of `perConnection` clients, the last one perhaps short. */
function streamsPerConnection(clients: number, perConnection: number): number {
  return clients / Math.ceil(clients / perConnection);
}

export const sseH2Transport = {
  name: 'sse-h2',
  style: 'push',
  summary: 'GET /sse over HTTP/2 and TLS on the server’s TLS listener: streamsPerConnection clients share one connection.',
  settings: sseH2Settings,
  createClient: createSseH2Client,
  server: {
    defaults: SSE_SERVER_DEFAULTS,
    check: (options) => checkSseServerOptions(options, 'sse-h2'),
    fromSettings: (settings) => ({ heartbeatMs: settings.heartbeatMs ?? 0 }),
    endpoint: (ctx) => new SseEndpoint(ctx),
    secure: true,
  },
  framed: false,
  drainExtraMs: () => 0,
  model: (workload, settings) =>
    pushModel(
      workload,
      settings.heartbeatMs === null
        ? ({ seq, event }) =>
            h2OverTlsBytes(sseEvent(seq, event).length, streamsPerConnection(workload.clients, settings.streamsPerConnection) * workload.recipientShare)
        : null,
    ),
  rules: (workload, settings) => [
    ...heartbeatFindings(settings.heartbeatMs, workload),
    ...(workload.link !== null || workload.idleCutMs !== null
      ? [
          {
            severity: 'error' as const,
            path: [],
            message:
              'sse-h2 connects straight to the reference server’s TLS listener: the shaping proxy and intermediaries are not in front of it yet; run it without network and intermediary, or leave it out',
          },
        ]
      : []),
  ],
} satisfies TransportModule<'sse-h2', SseH2Settings, SseServerOptions>;
