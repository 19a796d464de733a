import { describe, expect, it } from 'vitest';
import { meanRecipients, messageRecipients, roomMembers } from '../../src/scenario/chat-field.js';
import { loadScenarioText } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/scenario/problems.js';
import { recipientsPerEvent } from '../../src/scenario/scenario.js';
import { describeScenario } from '../../src/scenario/summary.js';
import { plannedRun } from '../../src/scenario/timeline.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { publishSchedule } from '../../src/runner/schedule.js';

const planOf = (scenario: Scenario) => plannedRun(scenario, scenario.transports, 1, []);

const chat = (section: string, clients = '{ count: 40 }') => `name: t\nduration: 10s\nclients: ${clients}\nchat: ${section}\n`;

function problems(text: string): string[] {
  const result = loadScenarioText(text, 'bad.yaml');
  return [...(result.ok ? [] : result.errors), ...result.warnings].map(formatProblem);
}

describe('the chat section', () => {
  it('becomes a Poisson stream of messages at every client’s rate together, each to the sender’s room', () => {
    const result = loadScenarioText(chat('{ rooms: 4, sendRate: 1/10s, payload: 120B }'), 'ok.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.chat).toEqual({ rooms: 4, sendRatePerClient: 0.1, payloadBytes: 120, echo: false });
    expect(result.scenario.events).toEqual({
      arrival: { kind: 'poisson', ratePerSecond: 4 },
      payloadBytes: 120,
      audience: { kind: 'room', rooms: 4, echo: false },
    });
    expect(describeScenario(result.scenario, planOf(result.scenario))).toContain(
      "chat: messages from the clients, 4/s poisson, 120B, audience the sender's room of 4",
    );
  });

  it('takes its defaults: one room, a message every ten seconds, 120 bytes, no echo', () => {
    const result = loadScenarioText(chat('{}'), 'ok.yaml');
    expect(result.ok && result.scenario.chat).toEqual({ rooms: 1, sendRatePerClient: 0.1, payloadBytes: 120, echo: false });
  });

  it.each([
    ['with events', `${chat('{ rooms: 2 }')}events: { rate: 5/s }\n`, 'bad.yaml:5:9 ', 'events: a chat scenario'],
    ['with offline clients', chat('{ rooms: 2 }', '{ count: 40, offline: { every: 5s, for: 1s } }'), 'bad.yaml:3:32 ', 'not supported in a chat yet'],
    ['more rooms than clients', chat('{ rooms: 50 }'), 'bad.yaml:4:16 ', '50 rooms for 40 clients leaves rooms empty'],
    [
      'more messages than a schedule holds',
      chat('{ sendRate: 1000/s }', '{ count: 200 }'),
      'bad.yaml:4:19 ',
      '200 clients at this rate send 200,000 messages a second',
    ],
    ['a bad rate', chat('{ sendRate: often }'), 'bad.yaml:4:19 ', 'write e.g. "50/s", "300/m", "10/h" or "1/10s"'],
    ['a bad echo', chat('{ echo: sometimes }'), 'bad.yaml:4:15 ', 'is not true or false'],
    ['an unknown key', chat('{ room: 2 }'), 'bad.yaml:4:9 ', 'did you mean "rooms"?'],
  ])('%s is a located error', (_what, text, at, message) => {
    const result = loadScenarioText(text, 'bad.yaml');
    expect(result.ok).toBe(false);
    const match = problems(text).find((line) => line.includes(message));
    expect(match, `no line has ${message} in:\n${problems(text).join('\n')}`).toBeDefined();
    expect(match?.startsWith(at), match).toBe(true);
  });

  it('warns when some clients sit alone in a room, where nobody sees their messages', () => {
    const result = loadScenarioText(chat('{ rooms: 30 }'), 'ok.yaml');
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatProblem).join('\n')).toContain('30 rooms for 40 clients puts some clients alone in a room');
  });
});

describe('rooms', () => {
  it('put client i in room i mod rooms', () => {
    expect(roomMembers(1, 3, 10)).toEqual([1, 4, 7]);
    expect(messageRecipients(4, { rooms: 3, echo: false }, 10)).toEqual([1, 7]);
    expect(messageRecipients(4, { rooms: 3, echo: true }, 10)).toEqual([1, 4, 7]);
  });

  it('average the recipients over senders, rooms of unequal size included', () => {
    // 10 clients in 3 rooms: sizes 4, 3, 3 → (4·3 + 3·2 + 3·2) / 10 without echo, (16 + 9 + 9) / 10 with it.
    expect(meanRecipients({ rooms: 3, echo: false }, 10)).toBeCloseTo(2.4, 12);
    expect(meanRecipients({ rooms: 3, echo: true }, 10)).toBeCloseTo(3.4, 12);
    expect(recipientsPerEvent({ kind: 'room', rooms: 3, echo: false }, 10)).toBeCloseTo(2.4, 12);
  });

  it('make a schedule whose every message comes from a client and goes to the rest of its room', () => {
    const basis = {
      seed: 9,
      events: { arrival: { kind: 'poisson' as const, ratePerSecond: 50 }, payloadBytes: 10, audience: { kind: 'room' as const, rooms: 3, echo: false } },
      clients: { count: 10 },
    };
    const events = [...publishSchedule(basis, 10_000)];
    expect(events.length).toBeGreaterThan(400);
    const senders = new Set(events.map((event) => event.from));
    expect(senders.size).toBe(10);
    for (const event of events) {
      expect(event.to).toEqual(messageRecipients(event.from!, { rooms: 3, echo: false }, 10));
    }
    // The same seed gives the same messages, so every client process agrees on who sends what.
    expect([...publishSchedule(basis, 10_000)]).toEqual(events);
  });
});
