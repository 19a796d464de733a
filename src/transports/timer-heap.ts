/**
 * One timer per process for every simulated client's polls: a binary min-heap of tasks keyed
 * by due time, with a single setTimeout armed for the earliest.
 *
 * Why not one setTimeout per client: timers here wake ~1 ms late at best and far later under
 * load. Thousands of per-client timers that fire late together get re-armed "interval from now"
 * together, and the random start phases bunch up. Here a late wake runs every task that is due
 * in one pass, and each task re-arms from its own ideal schedule (start + k * interval), so the
 * phases stay uniform. It also costs no allocation per tick: tasks are the clients themselves.
 */

/** Something the heap can run; `heapIndex` is owned by the heap (-1 = not scheduled). */
export interface TimerTask {
  dueMs: number;
  heapIndex: number;
  fire(nowMs: number): void;
}

/** The clock and timer the heap uses; injected so tests are exact. */
export interface TimerHost {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimerHost: TimerHost = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Node timers have ~1 ms granularity and may wake a fraction of a ms "early" by our clock. */
const DUE_TOLERANCE_MS = 1;

export class TimerHeap {
  private readonly heap: TimerTask[] = [];
  private armedHandle: unknown = undefined;
  private armedDueMs = Infinity;

  constructor(private readonly host: TimerHost = nodeTimerHost) {}

  now(): number {
    return this.host.now();
  }

  get size(): number {
    return this.heap.length;
  }

  /** (Re)schedule a task at an absolute time on this heap's clock. */
  schedule(task: TimerTask, dueMs: number): void {
    if (task.heapIndex >= 0) this.removeAt(task.heapIndex);
    task.dueMs = dueMs;
    task.heapIndex = this.heap.length;
    this.heap.push(task);
    this.siftUp(task.heapIndex);
    this.arm();
  }

  cancel(task: TimerTask): void {
    if (task.heapIndex < 0) return;
    this.removeAt(task.heapIndex);
    this.arm();
  }

  private readonly onTimer = (): void => {
    this.armedHandle = undefined;
    this.armedDueMs = Infinity;
    const now = this.host.now();
    // Bounded by the size at wake-up so a task that re-schedules itself as already due
    // cannot spin this loop; it runs on the next wake instead.
    let budget = this.heap.length;
    try {
      for (let top = this.heap[0]; top !== undefined && budget > 0; top = this.heap[0], budget--) {
        if (top.dueMs > now + DUE_TOLERANCE_MS) break;
        this.removeAt(0);
        top.fire(now);
      }
    } finally {
      this.arm();
    }
  };

  private arm(): void {
    const next = this.heap[0];
    if (next === undefined) {
      this.disarm();
      return;
    }
    if (this.armedHandle !== undefined && this.armedDueMs <= next.dueMs) return;
    this.disarm();
    this.armedDueMs = next.dueMs;
    this.armedHandle = this.host.setTimeout(this.onTimer, Math.max(0, next.dueMs - this.host.now()));
  }

  private disarm(): void {
    if (this.armedHandle === undefined) return;
    this.host.clearTimeout(this.armedHandle);
    this.armedHandle = undefined;
    this.armedDueMs = Infinity;
  }

  private removeAt(index: number): void {
    const heap = this.heap;
    const removed = heap[index];
    const last = heap.pop();
    if (removed !== undefined) removed.heapIndex = -1;
    if (last === undefined || last === removed) return;
    heap[index] = last;
    last.heapIndex = index;
    this.siftDown(index);
    this.siftUp(index);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const task = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.dueMs <= task.dueMs) break;
      heap[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    heap[index] = task;
    task.heapIndex = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const task = heap[index]!;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && heap[right]!.dueMs < heap[left]!.dueMs ? right : left;
      const childTask = heap[child]!;
      if (childTask.dueMs >= task.dueMs) break;
      heap[index] = childTask;
      childTask.heapIndex = index;
      index = child;
    }
    heap[index] = task;
    task.heapIndex = index;
  }
}

/** The process-wide heap every polling client uses unless its context names another. */
export const sharedTimerHeap = new TimerHeap();
