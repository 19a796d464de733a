import { describe, expect, it } from 'vitest';
import { ConsumeGate } from '../../src/transports/consume-gate.js';
import { RecordingSink, sleep, waitFor } from './helpers.js';

const MS = 1_000_000n;

/** A clock the test moves by hand, ns. */
function manualClock(startNs = 1_000n * MS) {
  const clock = { ns: startNs, now: () => clock.ns };
  return clock;
}

describe('ConsumeGate, event rate', () => {
  it('stamps the events of one chunk 1/rate apart from its read, and holds reading until they are consumed', () => {
    const clock = manualClock();
    const gate = new ConsumeGate({ unit: 'events', perSecond: 20 }, clock.now);
    const readNs = clock.ns;
    gate.read(600, readNs);
    const stamps = [0, 1, 2].map(() => gate.stamp(readNs, 200) - readNs);
    expect(stamps).toEqual([0n, 50n * MS, 100n * MS]);
    // three events of 50 ms each: busy for 150 ms from the read
    expect(gate.holdMs()).toBe(150);
    clock.ns += 100n * MS;
    expect(gate.holdMs()).toBe(50);
    clock.ns += 60n * MS;
    expect(gate.holdMs()).toBe(0);
  });

  it('stamps an event read while idle at its read time: a client that keeps up sees no extra delay', () => {
    const clock = manualClock();
    const gate = new ConsumeGate({ unit: 'events', perSecond: 10 }, clock.now);
    expect(gate.stamp(clock.ns, 100)).toBe(clock.ns);
    clock.ns += 500n * MS;
    expect(gate.stamp(clock.ns, 100)).toBe(clock.ns);
    expect(gate.holdMs()).toBe(100);
  });

  it('queues a chunk read while still busy behind the earlier work', () => {
    const clock = manualClock();
    const gate = new ConsumeGate({ unit: 'events', perSecond: 10 }, clock.now);
    const first = clock.ns;
    gate.stamp(first, 1);
    gate.stamp(first, 1); // busy until first + 200 ms
    const second = first + 50n * MS;
    expect(gate.stamp(second, 1) - first).toBe(200n * MS);
  });
});

describe('ConsumeGate, byte rate', () => {
  it('charges the chunk by its bytes and places each event by the payload before it', () => {
    const clock = manualClock();
    const gate = new ConsumeGate({ unit: 'bytes', perSecond: 1_000 }, clock.now);
    const readNs = clock.ns;
    gate.read(300, readNs); // 300 ms of work
    expect(gate.stamp(readNs, 100) - readNs).toBe(0n);
    expect(gate.stamp(readNs, 100) - readNs).toBe(100n * MS);
    expect(gate.holdMs()).toBe(300);
    // the next chunk starts when this one is done, however early it was read
    const nextRead = readNs + 10n * MS;
    gate.read(100, nextRead);
    expect(gate.stamp(nextRead, 50) - readNs).toBe(300n * MS);
    expect(gate.holdMs()).toBe(400);
  });

  it('never stamps past the end of its chunk', () => {
    const gate = new ConsumeGate({ unit: 'bytes', perSecond: 1_000 }, () => 0n);
    gate.read(100, 0n);
    gate.stamp(0n, 150);
    expect(gate.stamp(0n, 150)).toBe(100n * MS);
  });
});

describe('ConsumeGate, holding and deferring', () => {
  it('pauses reading and resumes once the work is done; defers the next request the same way', async () => {
    const gate = new ConsumeGate({ unit: 'events', perSecond: 20 });
    const t0 = process.hrtime.bigint();
    gate.stamp(t0, 1);
    gate.stamp(t0, 1); // 100 ms of work
    const log: string[] = [];
    gate.holdReading(
      () => log.push('pause'),
      () => log.push(`resume ${Number(process.hrtime.bigint() - t0) / 1e6}`),
    );
    expect(log).toEqual(['pause']);
    await sleep(200);
    expect(log).toHaveLength(2);
    const resumedAfterMs = Number(log[1]!.split(' ')[1]);
    expect(resumedAfterMs).toBeGreaterThanOrEqual(95);
    expect(resumedAfterMs).toBeLessThan(190);
    // idle now: nothing is held, the request goes at once
    expect(gate.defer(() => log.push('next'))).toBe(false);
    gate.stamp(process.hrtime.bigint(), 1);
    expect(gate.defer(() => log.push('next'))).toBe(true);
    gate.stop();
    await sleep(80);
    expect(log).not.toContain('next');
  });

  it('wraps a sink: an event the client gets to at once is handed on at once, everything else unchanged', () => {
    const sink = new RecordingSink();
    const clock = manualClock();
    const gate = new ConsumeGate({ unit: 'events', perSecond: 1 }, clock.now);
    const wrapped = gate.wrap(sink);
    wrapped.event(0, 1, 5n, 10, clock.ns);
    wrapped.event(0, 2, 5n, 10, clock.ns); // due a second later: waits
    wrapped.gap(0, 3, 4);
    expect(sink.events.get(0)!.map((e) => e.receivedNs)).toEqual([clock.ns]);
    expect(gate.waitingEvents).toBe(1);
    expect(sink.gaps).toEqual([{ clientIndex: 0, from: 3, to: 4 }]);
    // stopped before the client got to it: never handed on (it counts as lost)
    gate.stop();
    expect(gate.waitingEvents).toBe(1);
    expect(sink.events.get(0)).toHaveLength(1);
  });

  it('hands on the events of a chunk one by one, when the client gets to each', async () => {
    const sink = new RecordingSink();
    const gate = new ConsumeGate({ unit: 'events', perSecond: 20 });
    const wrapped = gate.wrap(sink);
    const readNs = process.hrtime.bigint();
    for (let seq = 1; seq <= 3; seq++) wrapped.event(0, seq, readNs, 10, readNs);
    expect(sink.seqs()).toEqual([1]);
    await waitFor(() => sink.seqs().length === 3, 'the third event');
    const handedOnAfterMs = Number(process.hrtime.bigint() - readNs) / 1e6;
    expect(handedOnAfterMs).toBeGreaterThanOrEqual(95);
    expect(sink.events.get(0)!.map((e) => Number(e.receivedNs - readNs) / 1e6)).toEqual([0, 50, 100]);
    gate.stop();
  });

  it('refuses a rate that is not above 0', () => {
    expect(() => new ConsumeGate({ unit: 'events', perSecond: 0 })).toThrow(/above 0/);
  });
});
