/**
 * A load balancer's idle timeout for one connection: `onIdle` runs once no byte has passed in
 * either direction for `idleMs`. One timer per connection, re-armed only when it fires (a busy
 * connection touches it per chunk, which only records the time): a timer reset per chunk would
 * cost more than the forwarding. The clock is injected, so tests are exact.
 */
export interface TimerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: TimerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class IdleTimer {
  private lastMs: number;
  private handle: unknown;
  private stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
    private readonly clock: TimerClock = realClock,
  ) {
    if (!(idleMs > 0)) throw new RangeError(`idleMs must be above 0, got ${idleMs}`);
    this.lastMs = clock.now();
    this.arm(idleMs);
  }

  /** A byte passed: the connection is not idle now. */
  touch(): void {
    this.lastMs = this.clock.now();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.handle);
  }

  private arm(ms: number): void {
    this.handle = this.clock.setTimeout(() => this.check(), ms);
  }

  private check(): void {
    if (this.stopped) return;
    const remainingMs = this.lastMs + this.idleMs - this.clock.now();
    if (remainingMs > 0) return this.arm(remainingMs);
    this.stopped = true;
    this.onIdle();
  }
}
