import { describe, expect, it } from 'vitest';
import { TimerHeap, type TimerHost, type TimerTask } from '../../src/transports/timer-heap.js';

/** A host whose clock and single timer the test drives by hand. */
class ManualHost implements TimerHost {
  nowMs = 0;
  pending: { callback: () => void; atMs: number } | undefined;
  armCount = 0;
  now(): number {
    return this.nowMs;
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    this.armCount++;
    this.pending = { callback, atMs: this.nowMs + delayMs };
    return this.pending;
  }
  clearTimeout(handle: unknown): void {
    if (this.pending === handle) this.pending = undefined;
  }
  /** Jump to `ms` and wake the timer once if it is due (one late wake, as under load). */
  advanceTo(ms: number): void {
    this.nowMs = ms;
    const pending = this.pending;
    if (pending !== undefined && pending.atMs <= ms) {
      this.pending = undefined;
      pending.callback();
    }
  }
}

function task(log: string[], name: string, onFire?: (now: number) => void): TimerTask {
  return {
    dueMs: 0,
    heapIndex: -1,
    fire: (now) => {
      log.push(name);
      onFire?.(now);
    },
  };
}

describe('TimerHeap', () => {
  it('runs tasks in due order and keeps one timer armed for the earliest', () => {
    const host = new ManualHost();
    const heap = new TimerHeap(host);
    const log: string[] = [];
    heap.schedule(task(log, 'c'), 30);
    heap.schedule(task(log, 'a'), 10);
    heap.schedule(task(log, 'b'), 20);
    expect(host.pending?.atMs).toBe(10);
    host.advanceTo(10);
    expect(log).toEqual(['a']);
    host.advanceTo(30);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(heap.size).toBe(0);
    expect(host.pending).toBeUndefined();
  });

  it('runs every due task in one late wake', () => {
    const host = new ManualHost();
    const heap = new TimerHeap(host);
    const log: string[] = [];
    for (let i = 0; i < 50; i++) heap.schedule(task(log, `t${i}`), 100 + ((i * 37) % 50));
    host.advanceTo(500);
    expect(log).toHaveLength(50);
  });

  it('lets a task re-arm itself from its ideal schedule during a wake', () => {
    const host = new ManualHost();
    const heap = new TimerHeap(host);
    const log: string[] = [];
    let k = 0;
    const periodic: TimerTask = task(log, 'tick', () => {
      k++;
      heap.schedule(periodic, 7 + k * 100);
    });
    heap.schedule(periodic, 7);
    host.advanceTo(7);
    host.advanceTo(150); // late by 43 ms: the next due stays at 207, not 250
    expect(periodic.dueMs).toBe(207);
    expect(log).toEqual(['tick', 'tick']);
    heap.cancel(periodic);
  });

  it('cancels and reschedules tasks anywhere in the heap', () => {
    const host = new ManualHost();
    const heap = new TimerHeap(host);
    const log: string[] = [];
    const tasks = Array.from({ length: 20 }, (_, i) => task(log, `t${i}`));
    tasks.forEach((t, i) => heap.schedule(t, 10 + i));
    for (let i = 0; i < 20; i += 2) heap.cancel(tasks[i]!);
    heap.schedule(tasks[19]!, 1);
    heap.cancel(tasks[0]!); // already cancelled: no effect
    host.advanceTo(1);
    host.advanceTo(100);
    expect(log).toEqual(['t19', 't1', 't3', 't5', 't7', 't9', 't11', 't13', 't15', 't17']);
    expect(heap.size).toBe(0);
  });

  it('does not spin on a task that re-schedules itself as already due', () => {
    const host = new ManualHost();
    const heap = new TimerHeap(host);
    const log: string[] = [];
    const stubborn: TimerTask = task(log, 'again', (now) => heap.schedule(stubborn, now));
    heap.schedule(stubborn, 5);
    host.advanceTo(5);
    expect(log).toEqual(['again']);
    heap.cancel(stubborn);
    expect(host.pending).toBeUndefined();
  });
});
