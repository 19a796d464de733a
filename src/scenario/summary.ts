/** One line saying what a scenario would run, for `push-bench validate`. */
import { describeConditions } from '../conditions/describe.js';
import { runName } from '../transports/catalog.js';
import { expectedDeliveries } from './rules.js';
import { meanRatePerSecond, slowClientCount, type Scenario } from './scenario.js';
import { formatDuration, formatRate } from '../units/units.js';
import { describeWallTime, type PlannedRun } from './timeline.js';

/** `plan`: the run's planned wall time (plannedRun). */
export function describeScenario(scenario: Scenario, plan: PlannedRun): string {
  const transports = scenario.transports.map(runName).join(', ');
  const rate = formatRate(meanRatePerSecond(scenario.events.arrival));
  const { audience: to } = scenario.events;
  const audience = to.kind === 'fraction' ? `${+(to.fraction * 100).toFixed(3)}%` : to.kind === 'room' ? `the sender's room of ${to.rooms}` : to.kind;
  const deliveries = Math.round(expectedDeliveries(scenario)).toLocaleString('en-US');
  const { offline } = scenario.clients;
  const away = offline ? ` (offline ~${formatDuration(offline.forMs)} every ~${formatDuration(offline.everyMs)}, ${offline.how})` : '';
  const { slow } = scenario.clients;
  const consume = slow ? (slow.consume.unit === 'events' ? formatRate(slow.consume.perSecond) : `${Math.round(slow.consume.perSecond)}B/s`) : '';
  const behind = slow ? ` (${slowClientCount(scenario.clients.count, slow.share).toLocaleString('en-US')} consume at ${consume})` : '';
  const conditions = describeConditions(scenario.network, scenario.intermediary);
  return (
    `${scenario.name}: ${transports} | ${scenario.clients.count.toLocaleString('en-US')} clients${away}${behind} | ` +
    (scenario.chat ? 'chat: messages from the clients, ' : '') +
    `${rate} ${scenario.events.arrival.kind}, ${scenario.events.payloadBytes}B, audience ${audience} | ` +
    `${formatDuration(scenario.durationMs)} measured (+${formatDuration(scenario.warmupMs)} warm-up) | ` +
    `~${deliveries} expected deliveries per transport | ${describeWallTime(plan)}` +
    (conditions ? ` | ${conditions}` : '')
  );
}
