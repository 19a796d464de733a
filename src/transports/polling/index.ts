/** Short polling: the client asks at a fixed interval whether anything is new. */
import { shortPollingFigures } from '../../metrics/model.js';
import { formatDuration } from '../../units/units.js';
import type { TransportModule } from '../module.js';
import { createPollingClient } from './client.js';
import { pollingEndpoint, type PollingServerOptions } from './server.js';
import { pollingSettings, type PollingSettings } from './settings.js';

export const pollingTransport = {
  name: 'polling',
  style: 'pull',
  summary: 'GET /poll at a fixed interval; most answers are empty when events are rare.',
  settings: pollingSettings,
  createClient: createPollingClient,
  server: {
    defaults: {},
    check: () => undefined,
    fromSettings: () => ({}),
    endpoint: pollingEndpoint,
  },
  framed: false,
  // An event published at the end of the window waits up to one interval for the next poll.
  drainExtraMs: (settings) => settings.intervalMs,
  model: (workload, settings) => {
    // Chained polls sample the server every interval plus a round trip; fixed ones every interval.
    const roundTripMs = workload.link ? workload.link.upLatencyMs + workload.link.downLatencyMs : 0;
    const periodMs = settings.mode === 'chained' ? settings.intervalMs + roundTripMs : settings.intervalMs;
    return shortPollingFigures({
      ratePerS: workload.ratePerClientPerS,
      intervalS: periodMs / 1_000,
      arrival: workload.arrival,
      link: workload.link,
      payloadBytes: workload.payloadBytes,
    });
  },
  rules: (workload, settings) =>
    settings.intervalMs > workload.durationMs
      ? [
          {
            severity: 'warning',
            path: ['interval'],
            message: `the polling interval ${formatDuration(settings.intervalMs)} is longer than the measured duration ${formatDuration(workload.durationMs)}; each client polls at most once while measured`,
          },
        ]
      : [],
} satisfies TransportModule<'polling', PollingSettings, PollingServerOptions>;
