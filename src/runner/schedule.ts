/**
 * The publish schedule: when each event is intended, and who receives it. Seeded and lazy, so
 * the same scenario gives the same schedule and a long run does not hold it all in memory.
 */
import { messageRecipients } from '../scenario/chat-field.js';
import { recipientsPerEvent, type Scenario } from '../scenario/scenario.js';
import { exponential, sampleDistinct, seededRandom } from './random.js';

export interface ScheduledEvent {
  /** Intended publish time, ms after the phase's schedule start. */
  atMs: number;
  /** Client indices that receive it, or 'all'. */
  to: number[] | 'all';
  /** In a chat, the client that sends it (its room are the recipients); absent, the publisher does. */
  from?: number;
}

/** What decides a schedule: client processes rebuild it from this much (scheduled-seqs.ts). */
export interface ScheduleBasis {
  seed: number;
  events: Scenario['events'];
  clients: { count: number };
}

/** Events intended in [0, untilMs), in time order. */
export function* publishSchedule(scenario: ScheduleBasis, untilMs: number): Generator<ScheduledEvent> {
  const random = seededRandom(scenario.seed);
  const { arrival, audience } = scenario.events;
  const clients = scenario.clients.count;
  const recipients = recipientsPerEvent(audience, clients);
  const pickAudience = (): Omit<ScheduledEvent, 'atMs'> => {
    if (audience.kind === 'room') {
      const from = Math.floor(random() * clients);
      return { to: messageRecipients(from, audience, clients), from };
    }
    return { to: audience.kind === 'all' ? 'all' : recipients === 1 ? [Math.floor(random() * clients)] : sampleDistinct(random, clients, recipients) };
  };

  if (arrival.kind === 'burst') {
    for (let atMs = 0; atMs < untilMs; atMs += arrival.everyMs) {
      for (let i = 0; i < arrival.size; i++) yield { atMs, ...pickAudience() };
    }
    return;
  }
  const ratePerMs = arrival.ratePerSecond / 1_000;
  // Uniform starts half a gap in, so that a window edge never splits a tie of two events.
  let atMs = arrival.kind === 'uniform' ? 0.5 / ratePerMs : exponential(random, ratePerMs);
  while (atMs < untilMs) {
    yield { atMs, ...pickAudience() };
    atMs += arrival.kind === 'uniform' ? 1 / ratePerMs : exponential(random, ratePerMs);
  }
}
