import { describe, expect, it } from 'vitest';
import { ChatSender } from '../../src/runner/chat-sender.js';
import { tallySchedule, withClientSends } from '../../src/runner/publisher.js';
import { publishSchedule } from '../../src/runner/schedule.js';
import type { ChatMessage, TransportClient } from '../../src/transports/types.js';
import { waitFor } from '../helpers/wait.js';

const MS = 1_000_000n;
const basis = {
  seed: 5,
  events: { arrival: { kind: 'poisson' as const, ratePerSecond: 400 }, payloadBytes: 12, audience: { kind: 'room' as const, rooms: 2, echo: false } },
  clients: { count: 6 },
};

/** Clients 3..5 of a fleet of 6; client 4 has its every message refused. */
function shard(sent: Array<{ index: number; message: ChatMessage; atNs: bigint }>): TransportClient[] {
  return [3, 4, 5].map((index) => ({
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    goOffline: () => undefined,
    comeBack: () => undefined,
    send: (message: ChatMessage) => {
      sent.push({ index, message, atNs: process.hrtime.bigint() });
      if (index === 4) return Promise.reject(new Error('POST /send answered 403'));
      return Promise.resolve({ recipients: 2, publishedAtNs: message.intendedNs + 3n * MS });
    },
  }));
}

describe('ChatSender', () => {
  it('sends its own clients’ messages of the schedule, never early, and counts the answers of the window', async () => {
    const sent: Array<{ index: number; message: ChatMessage; atNs: bigint }> = [];
    const sender = new ChatSender({ clients: shard(sent), firstIndex: 3, basis, untilMs: 300 });
    const zeroNs = process.hrtime.bigint() + 20n * MS;
    const window = { startNs: zeroNs + 100n * MS, endNs: zeroNs + 300n * MS };
    const mine = [...publishSchedule(basis, 300)].filter((event) => event.from! >= 3);
    sender.start(zeroNs, window);
    await waitFor(() => sent.length === mine.length, 'every message of the shard to go');
    const report = await sender.stop();

    expect(sent.map((s) => s.index)).toEqual(mine.map((event) => event.from));
    for (const { index, message, atNs } of sent) {
      expect(atNs).toBeGreaterThanOrEqual(message.intendedNs);
      expect(message.room).toBe(`r${index % 2}`);
      expect(message.text).toBe('x'.repeat(12));
    }
    const counted = mine.filter((event) => event.atMs >= 100);
    const accepted = counted.filter((event) => event.from !== 4);
    expect(report.answered).toBe(accepted.length);
    expect(report.claimed).toBe(accepted.length * 2);
    expect(report.expectedAnswered).toBe(accepted.reduce((sum, event) => sum + (event.to as number[]).length, 0));
    expect(report.firstError).toBe('POST /send answered 403');

    // The orchestrator's side: every message of the window not accepted is a failure, whose deliveries count as lost.
    const tally = tallySchedule({
      schedule: publishSchedule(basis, 300),
      window: { startNs: zeroNs, windowStartNs: window.startNs, windowEndNs: window.endNs },
      payloadBytes: 12,
      clientCount: 6,
    });
    const outcome = withClientSends(tally, report);
    const inWindow = [...publishSchedule(basis, 300)].filter((event) => event.atMs >= 100);
    expect(outcome.published).toBe(inWindow.length);
    expect(outcome.failed).toBe(inWindow.length - accepted.length);
    expect(outcome.lag.summary().count).toBe(accepted.length);
    expect(outcome.lag.summary().p50).toBeCloseTo(3, 1);
  });

  it('counts every message of a process that reported nothing as failed', () => {
    const tally = tallySchedule({
      schedule: publishSchedule(basis, 300),
      window: { startNs: 0n, windowStartNs: 0n, windowEndNs: 300n * MS },
      payloadBytes: 12,
      clientCount: 6,
    });
    const outcome = withClientSends(tally, undefined);
    expect(outcome.published).toBeGreaterThan(50);
    expect(outcome.failed).toBe(outcome.published);
    expect(outcome.firstError).toBe(`${outcome.published} messages were never accepted`);
  });
});
