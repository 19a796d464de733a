/** The idle timeout of one connection, on an injected clock: exact, no waiting. */
import { describe, expect, it } from 'vitest';
import { IdleTimer, type TimerClock } from '../../src/conditions/idle-timer.js';

/** A manual clock: timers run when `advance` passes their time, in order. */
function manualClock() {
  let nowMs = 0;
  let next = 0;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  const clock: TimerClock = {
    now: () => nowMs,
    setTimeout: (callback, ms) => {
      timers.set(++next, { atMs: nowMs + ms, callback });
      return next;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
  };
  const advance = (ms: number) => {
    const endMs = nowMs + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.atMs <= endMs).sort((a, b) => a[1].atMs - b[1].atMs)[0];
      if (!due) break;
      timers.delete(due[0]);
      nowMs = due[1].atMs;
      due[1].callback();
    }
    nowMs = endMs;
  };
  return { clock, advance, pending: () => timers.size };
}

describe('IdleTimer', () => {
  it('fires once the connection has been idle for the timeout, not before', () => {
    const { clock, advance } = manualClock();
    let cuts = 0;
    new IdleTimer(1_000, () => cuts++, clock);
    advance(999);
    expect(cuts).toBe(0);
    advance(1);
    expect(cuts).toBe(1);
    advance(10_000);
    expect(cuts).toBe(1);
  });

  it('each byte restarts the wait: cut 1 s after the last one', () => {
    const { clock, advance } = manualClock();
    const cutAt: number[] = [];
    const timer = new IdleTimer(1_000, () => cutAt.push(clock.now()), clock);
    for (let i = 0; i < 5; i++) {
      advance(600);
      timer.touch();
    }
    // Last byte at 3000 ms.
    advance(999);
    expect(cutAt).toEqual([]);
    advance(1);
    expect(cutAt).toEqual([4_000]);
  });

  it('a connection touched more often than the timeout is never cut, and one timer suffices', () => {
    const { clock, advance, pending } = manualClock();
    let cuts = 0;
    const timer = new IdleTimer(500, () => cuts++, clock);
    for (let i = 0; i < 100; i++) {
      advance(100);
      timer.touch();
      expect(pending()).toBe(1);
    }
    expect(cuts).toBe(0);
    timer.stop();
    advance(10_000);
    expect(cuts).toBe(0);
    expect(pending()).toBe(0);
  });

  it('refuses a timeout that is not above 0', () => {
    expect(() => new IdleTimer(0, () => undefined, manualClock().clock)).toThrow(RangeError);
  });
});
