/** Long polling: the server holds each request until an event arrives or a timeout passes. */
import { longPollingFigures } from '../../metrics/model.js';
import { holdFindings } from '../idle-rules.js';
import type { TransportModule } from '../module.js';
import { createLongPollingClient } from './client.js';
import { checkLongPollServerOptions, LONG_POLL_SERVER_DEFAULTS, LongPollEndpoint, type LongPollServerOptions } from './server.js';
import { longPollingSettings, type LongPollingSettings } from './settings.js';

/** Round trip assumed by the model: loopback plus the server's turn-around. */
const LOOPBACK_RTT_S = 0.001;

export const longPollingTransport = {
  name: 'long-polling',
  style: 'pull',
  summary: 'GET /long-poll held until an event arrives or the timeout passes; re-sent at once after each answer.',
  settings: longPollingSettings,
  createClient: createLongPollingClient,
  server: {
    defaults: LONG_POLL_SERVER_DEFAULTS,
    check: checkLongPollServerOptions,
    // The client names its hold time on every request (&timeout=), so the server's default stays.
    fromSettings: () => ({}),
    endpoint: (ctx) => new LongPollEndpoint(ctx),
  },
  framed: false,
  drainExtraMs: () => 0,
  model: (workload, settings) => {
    // The model is for a steady state; when the whole phase is shorter than the timeout, no
    // request can time out inside the window, as if the timeout were endless.
    const timeoutS = workload.phaseMs < settings.timeoutMs ? Infinity : settings.timeoutMs / 1_000;
    // Answer down, next request up: the link's two delays on top of the turn-around.
    const linkS = workload.link ? (workload.link.upLatencyMs + workload.link.downLatencyMs) / 1_000 : 0;
    return longPollingFigures({
      ratePerS: workload.ratePerClientPerS,
      rttS: LOOPBACK_RTT_S + linkS,
      timeoutS,
      arrival: workload.arrival,
      link: workload.link,
      payloadBytes: workload.payloadBytes,
    });
  },
  rules: (workload, settings) => holdFindings(settings.timeoutMs, workload),
} satisfies TransportModule<'long-polling', LongPollingSettings, LongPollServerOptions>;
