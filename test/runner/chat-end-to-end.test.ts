/**
 * A chat end to end: the runner's server and two client processes, every transport. The clients
 * send the messages themselves; each must reach every other member of its room exactly once,
 * counted against the seeded schedule worked out here on its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result, TransportResult } from '../../src/report/model.js';
import { serialize as serializeMarkdown } from '../../src/report/markdown.js';
import { publishSchedule } from '../../src/runner/schedule.js';
import { runToResult, scenarioOf, transportOf } from '../helpers/run.js';
import type { Scenario } from '../../src/scenario/scenario.js';

const SCENARIO = `name: chat-e2e
duration: 2s
warmup: 300ms
drain: 600ms
seed: 11
clients: { count: 24, rampUp: 200ms }
chat: { rooms: 3, sendRate: 2/s, payload: 90B }
transports:
  polling: { interval: 200ms }
  long-polling: {}
  sse: {}
  http-stream: {}
  websocket: {}
`;

describe('a chat through runScenario', () => {
  let scenario: Scenario;
  let result: Result;
  const transport = (name: string): TransportResult => transportOf(result, name);

  beforeAll(async () => {
    scenario = scenarioOf(SCENARIO, 'chat-e2e.yaml');
    result = await runToResult(scenario, 2);
  }, 90_000);

  /** The window's messages and their recipients, from the schedule alone: 8 members a room, so 7 each. */
  function dueFromSchedule(): { messages: number; deliveries: number } {
    const due = [...publishSchedule(scenario, scenario.warmupMs + scenario.durationMs)].filter((event) => event.atMs >= scenario.warmupMs);
    expect(due.every((event) => event.to !== 'all' && event.to.length === 7 && !event.to.includes(event.from!))).toBe(true);
    return { messages: due.length, deliveries: due.length * 7 };
  }

  it.each(['polling', 'long-polling', 'sse', 'http-stream', 'websocket'])('%s: every message reaches every other member once', (name) => {
    const { events, warnings } = transport(name);
    const due = dueFromSchedule();
    // 24 clients × 2/s × 2 s ≈ 96 messages: a schedule this size cannot be empty by chance.
    expect(due.messages).toBeGreaterThan(40);
    expect(events.published).toBe(due.messages);
    expect(events.expected).toBe(due.deliveries);
    expect(events.delivered).toBe(due.deliveries);
    expect(events.lost).toBe(0);
    expect(events.duplicated).toBe(0);
    expect(warnings.map((w) => w.code)).not.toContain('publish-failed');
    expect(warnings.map((w) => w.code)).not.toContain('recipients-mismatch');
  });

  it('says in the report how to read a chat’s rows', () => {
    expect(serializeMarkdown(result)).toContain('Chat over 3 room(s): "events published" are the messages the clients sent');
    expect(result.scenario['chat']).toEqual({ rooms: 3, sendRatePerClient: 2, payloadBytes: 90, echo: false });
  });

  it.each(['polling', 'long-polling', 'sse', 'http-stream', 'websocket'])('%s: the messages went up the client’s own sockets', (name) => {
    const { events, bytes, requests, frames, publishLagMs } = transport(name);
    expect(publishLagMs.count).toBe(events.published);
    // Requests, frames and bytes count by the wall clock, messages by intended time: the last
    // message of the window may be answered after it closed, so a few may fall outside.
    const sends = name === 'websocket' ? (frames?.up ?? 0) : requests.total;
    expect(sends).toBeGreaterThanOrEqual(events.published - 3);
    // Every message's 90-byte text crossed the client's sockets upwards, with its framing.
    expect(bytes.up).toBeGreaterThan((events.published - 3) * 90);
  });
});
