/** One push-bench run of one transport, driven through the runner's API (dist/), as `push-bench run` does. */
import { defaultShards, runScenario } from '../../dist/runner/run.js';
import { ControlApi } from '../../dist/runner/control-api.js';
import { startServerProcess } from '../../dist/runner/server-process.js';

const SETTINGS = {
  polling: { intervalMs: 1_000, mode: 'fixed' },
  'long-polling': { timeoutMs: 30_000 },
  sse: { heartbeatMs: null },
  websocket: { heartbeatMs: null, compression: false },
};

export function scaleScenario({ transport, clients, rampUpMs, ratePerS, warmupMs, durationMs, payloadBytes }) {
  return {
    name: `scale-${transport}-${clients}`,
    description: 'bench:scale: one broadcast to every client at a fixed rate',
    seed: 1,
    durationMs,
    warmupMs,
    drainMs: null,
    clients: { count: clients, rampUpMs },
    events: { arrival: { kind: 'uniform', ratePerSecond: ratePerS }, payloadBytes, audience: { kind: 'all' } },
    transports: [{ name: transport, settings: SETTINGS[transport] }],
    thresholds: [],
  };
}

/** @returns {Promise<import('./figures.mjs').RunFigures>} */
export async function runPushBench(options) {
  const scenario = scaleScenario(options);
  const controller = new AbortController();
  const outcome = await runScenario({
    scenario,
    transports: scenario.transports,
    shards: options.shards ?? defaultShards(options.clients),
    localAddresses: options.localAddresses,
    signal: controller.signal,
    onResult: async () => undefined,
  });
  if (outcome.error) throw outcome.error;
  const t = outcome.result.transports[0];
  if (!t) throw new Error('push-bench produced no result');
  return {
    clients: options.clients - notConnected(t.warnings),
    expected: t.events.expected,
    delivered: t.events.delivered,
    durationMs: t.durationMs,
    latencyMs: t.latencyMs,
    connectMs: t.connectMs,
    publishLagMs: t.publishLagMs,
    server: { ...t.server, idleRssBytes: options.idleServerRssBytes },
    client: t.client,
    warnings: t.warnings.map((w) => w.message),
  };
}

/** RSS of a fresh reference server with no client: subtracted before dividing by connections. */
export async function idleServerRss() {
  const server = await startServerProcess({ host: '127.0.0.1', port: 0 });
  const api = new ControlApi(server.url);
  try {
    return (await api.stats()).memory.rssBytes;
  } finally {
    await api.close();
    await server.stop();
  }
}

/** Clients that never connected, from the phase's `clients-not-connected` warning (0 without one). */
function notConnected(warnings) {
  const warning = warnings.find((w) => w.code === 'clients-not-connected');
  return warning ? Number(warning.message.match(/^(\d+)/)?.[1] ?? 0) : 0;
}
