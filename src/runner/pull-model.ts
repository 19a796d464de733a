/** What the pull-transport models (src/metrics/model.ts) are given for a scenario's phase. */
import { expectedFigures, perClientRate, type ExpectedFigures } from '../metrics/model.js';
import { meanRatePerSecond, type Scenario, type TransportPlan } from '../scenario/scenario.js';

/** Round trip assumed by the long-polling model: loopback plus the server's turn-around. */
const LOOPBACK_RTT_S = 0.001;

/** The model's figures for a pull transport of this scenario; nothing for push transports. */
export function pullModel(scenario: Scenario, plan: TransportPlan): { expectedFigures?: ExpectedFigures } {
  const { audience, arrival } = scenario.events;
  const ratePerS = perClientRate(
    meanRatePerSecond(arrival),
    scenario.clients.count,
    audience.kind === 'fraction' ? { fraction: audience.fraction } : audience.kind,
  );
  if (plan.name === 'polling') {
    return { expectedFigures: expectedFigures({ transport: 'polling', ratePerS, intervalS: plan.settings.intervalMs / 1_000, arrival: arrival.kind }) };
  }
  if (plan.name === 'long-polling') {
    // The model is for a steady state; when the whole phase is shorter than the timeout, no
    // request can time out inside the window, as if the timeout were endless.
    const phaseMs = scenario.clients.rampUpMs + scenario.warmupMs + scenario.durationMs;
    const timeoutS = phaseMs < plan.settings.timeoutMs ? Infinity : plan.settings.timeoutMs / 1_000;
    return { expectedFigures: expectedFigures({ transport: 'long-polling', ratePerS, rttS: LOOPBACK_RTT_S, timeoutS, arrival: arrival.kind }) };
  }
  return {};
}

