/**
 * `expected` comes from the seeded schedule, never from the server's answers: a server that
 * lost its registrations (a mid-run reset) or under-reports must not make deliveries vanish
 * from the accounting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ControlApi } from '../../src/targets/contract/control.js';
import type { PublishAnswer, PublishSpec } from '../../src/targets/control.js';
import { clientId } from '../../src/runner/client-ids.js';
import { runPublisher, type PublishWindow } from '../../src/runner/publisher.js';
import type { ScheduledEvent } from '../../src/runner/schedule.js';
import { startReferenceServer, type RunningServer } from '../../src/server/index.js';

const CLIENTS = 10;

/** Events due at once (atMs 0, 1, 2, ...), every one inside the window. */
function schedule(events: number, to: (i: number) => ScheduledEvent['to']): ScheduledEvent[] {
  return Array.from({ length: events }, (_, i) => ({ atMs: i * 0.01, to: to(i) }));
}

function windowFromNow(): PublishWindow {
  const startNs = process.hrtime.bigint() - 1_000_000_000n;
  return { startNs, windowStartNs: startNs, windowEndNs: startNs + 10_000_000_000n };
}

/** A control API whose server answers every publish, but claims `recipients` for each event. */
function underReporting(recipients: (spec: PublishSpec) => number): ControlApi {
  return {
    publish: (specs: readonly PublishSpec[]): Promise<PublishAnswer[]> =>
      Promise.resolve(specs.map((spec, id) => ({ id, recipients: recipients(spec), publishedAt: String(process.hrtime.bigint()) }))),
  } as unknown as ControlApi;
}

let server: RunningServer | undefined;
let api: ControlApi | undefined;
afterEach(async () => {
  await api?.close();
  await server?.close();
  server = api = undefined;
});

describe('the publisher counts expected deliveries from the schedule', () => {
  it('agrees with an honest server: expected = claimed', async () => {
    server = await startReferenceServer();
    api = new ControlApi(server.url);
    await api.register(Array.from({ length: CLIENTS }, (_, i) => clientId(i)));
    const outcome = await runPublisher({
      api,
      schedule: schedule(20, (i) => (i % 2 === 0 ? 'all' : [i % CLIENTS, (i + 1) % CLIENTS])),
      window: windowFromNow(),
      payloadBytes: 10,
      clientCount: CLIENTS,
    });
    expect(outcome).toMatchObject({ published: 20, expected: 10 * CLIENTS + 10 * 2, failed: 0 });
    expect(outcome.claimed).toBe(outcome.expected);
    expect(outcome.expectedAnswered).toBe(outcome.expected);
  });

  it('keeps expected when the server forgot its clients mid-run (POST /reset)', async () => {
    server = await startReferenceServer();
    api = new ControlApi(server.url);
    await api.register(Array.from({ length: CLIENTS }, (_, i) => clientId(i)));
    const before = await runPublisher({ api, schedule: schedule(5, () => 'all'), window: windowFromNow(), payloadBytes: 10, clientCount: CLIENTS });
    await api.reset();
    const after = await runPublisher({ api, schedule: schedule(5, () => 'all'), window: windowFromNow(), payloadBytes: 10, clientCount: CLIENTS });
    expect(before).toMatchObject({ expected: 5 * CLIENTS, claimed: 5 * CLIENTS });
    // The server now fans out to nobody; the schedule still addressed every client.
    expect(after).toMatchObject({ published: 5, expected: 5 * CLIENTS, claimed: 0, expectedAnswered: 5 * CLIENTS });
  });

  it('keeps expected when a server under-reports, and says what it claimed', async () => {
    const outcome = await runPublisher({
      api: underReporting((spec) => (spec.to === 'all' ? 3 : 0)),
      schedule: schedule(4, (i) => (i < 2 ? 'all' : [1])),
      window: windowFromNow(),
      payloadBytes: 10,
      clientCount: CLIENTS,
    });
    expect(outcome).toMatchObject({ published: 4, expected: 2 * CLIENTS + 2, expectedAnswered: 2 * CLIENTS + 2, claimed: 6, failed: 0 });
  });

  it('counts events the server left unanswered as failed, still expected', async () => {
    const api = {
      publish: (specs: readonly PublishSpec[]) => Promise.resolve(specs.slice(1).map((_, id) => ({ id, recipients: 1, publishedAt: '0' }))),
    } as unknown as ControlApi;
    const outcome = await runPublisher({ api, schedule: schedule(3, () => [0]), window: windowFromNow(), payloadBytes: 10, clientCount: CLIENTS });
    expect(outcome).toMatchObject({ published: 3, expected: 3, failed: 1, expectedAnswered: 2, claimed: 2 });
    expect(outcome.firstError).toContain('answered 2 of 3 events');
  });
});
