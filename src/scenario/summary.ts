/** One line saying what a scenario would run, for `push-bench validate`. */
import { describeConditions } from '../conditions/describe.js';
import { expectedDeliveries } from './rules.js';
import { meanRatePerSecond, type Scenario } from './scenario.js';
import { formatDuration, formatRate } from '../units/units.js';

export function describeScenario(scenario: Scenario): string {
  const transports = scenario.transports.map((plan) => plan.name).join(', ');
  const rate = formatRate(meanRatePerSecond(scenario.events.arrival));
  const audience = scenario.events.audience.kind === 'fraction' ? `${+(scenario.events.audience.fraction * 100).toFixed(3)}%` : scenario.events.audience.kind;
  const deliveries = Math.round(expectedDeliveries(scenario)).toLocaleString('en-US');
  const { offline } = scenario.clients;
  const away = offline ? ` (offline ~${formatDuration(offline.forMs)} every ~${formatDuration(offline.everyMs)}, ${offline.how})` : '';
  const conditions = describeConditions(scenario.network, scenario.intermediary);
  return (
    `${scenario.name}: ${transports} | ${scenario.clients.count.toLocaleString('en-US')} clients${away} | ` +
    `${rate} ${scenario.events.arrival.kind}, ${scenario.events.payloadBytes}B, audience ${audience} | ` +
    `${formatDuration(scenario.durationMs)} measured (+${formatDuration(scenario.warmupMs)} warm-up) | ` +
    `~${deliveries} expected deliveries per transport` +
    (conditions ? ` | ${conditions}` : '')
  );
}
