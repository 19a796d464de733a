/** How long one run of a scenario takes, planned: every transport's ramp, warm-up, window and drain, in turn. */
import type { Scenario } from '../scenario/scenario.js';
import { transportModule } from '../transports/catalog.js';

/** The drain when the scenario sets none, as the runner waits it. */
const DEFAULT_DRAIN_MS = 2_000;

export function plannedRunMs(scenario: Scenario): number {
  return scenario.transports.reduce((sum, plan) => {
    const drainMs = scenario.drainMs ?? DEFAULT_DRAIN_MS + transportModule(plan.name).drainExtraMs(plan.settings);
    return sum + scenario.clients.rampUpMs + scenario.warmupMs + scenario.durationMs + drainMs;
  }, 0);
}
