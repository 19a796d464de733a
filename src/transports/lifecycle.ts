import { backoffMs, resolveRetryPolicy, type RetryPolicy } from './retry.js';
import type { OfflineHow } from './offline.js';
import type { ClientContext, FailureKind } from './types.js';

type LifecycleState = 'idle' | 'starting' | 'running' | 'stopped';

/**
 * The part every transport client shares: start/stop state, the first-connect report, failure
 * reporting, and bounded retries with backoff. A transport owns its sockets and tells this
 * object what happened; this object decides whether and when to try again.
 */
export class ClientLifecycle {
  private state: LifecycleState = 'idle';
  private failuresInARow = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly policy: RetryPolicy;
  private resolveStart: (() => void) | undefined;
  private rejectStart: ((error: Error) => void) | undefined;
  private offlineHow: OfflineHow | null = null;
  /** A retry that came due while the client was silent: run at its return. */
  private parkedRetry: (() => void) | undefined;

  constructor(
    private readonly ctx: ClientContext<unknown>,
    /** closes the transport's sockets when the lifecycle gives up on its own */
    private readonly closeResources: () => void,
  ) {
    this.policy = resolveRetryPolicy(ctx.retry);
  }

  /** Starting or running, and not offline with `close`: the client should keep (re)trying. */
  get active(): boolean {
    return (this.state === 'starting' || this.state === 'running') && this.offlineHow !== 'close';
  }

  /** How the client is offline now, or null when online. */
  get offline(): OfflineHow | null {
    return this.offlineHow;
  }

  /**
   * Going offline: with `close` the pending retry is dropped (the transport resumes on its own at
   * comeBack) and the client is no longer `active`, so the errors of the connections it closes
   * are not retried; with `silent` it stays active, but a retry that comes due waits for comeBack.
   * Returns false when there is nothing to do (stopped, or offline already).
   */
  goOffline(how: OfflineHow): boolean {
    if (this.offlineHow !== null || !(this.state === 'starting' || this.state === 'running')) return false;
    this.offlineHow = how;
    if (how === 'close') this.clearRetry();
    return true;
  }

  /** Back online; runs a retry parked while silent. Returns the way the client was offline, or null when it was not. */
  comeBack(): OfflineHow | null {
    const how = this.offlineHow;
    this.offlineHow = null;
    const parked = this.parkedRetry;
    this.parkedRetry = undefined;
    if (parked !== undefined && this.active) parked();
    return how;
  }

  get isConnected(): boolean {
    return this.state === 'running';
  }

  /** Enter `starting`; the promise settles on the first connect or when giving up. */
  begin(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error('a transport client can be started once'));
    this.state = 'starting';
    return new Promise<void>((resolve, reject) => {
      this.resolveStart = resolve;
      this.rejectStart = reject;
    });
  }

  /** A connect (or first answer) succeeded; the first one is reported with its duration. */
  connected(attemptStartNs: bigint): void {
    this.failuresInARow = 0;
    if (this.state !== 'starting') return;
    this.state = 'running';
    this.ctx.sink.connected(this.ctx.clientIndex, process.hrtime.bigint() - attemptStartNs);
    this.settleStart(undefined);
  }

  /** A request went well: the failure streak is over. */
  succeeded(): void {
    this.failuresInARow = 0;
  }

  /**
   * Report a failure (always) and, while active, retry after a backoff, or give up when the
   * failure cannot heal by retrying or too many came in a row. `retry` null: the transport's
   * own schedule is the retry (a poll timer), only the streak is counted.
   */
  failed(kind: FailureKind, detail: string, retryable: boolean, retry: (() => void) | null): void {
    this.ctx.sink.failure(this.ctx.clientIndex, kind, detail);
    if (!this.active) return;
    this.failuresInARow++;
    if (!retryable) return this.giveUp(`not retryable: ${detail}`);
    if (this.failuresInARow >= this.policy.maxConsecutiveFailures) {
      return this.giveUp(`${this.failuresInARow} failures in a row, last: ${detail}`);
    }
    if (retry !== null) this.retryAfter(backoffMs(this.policy, this.failuresInARow, this.ctx.random), retry);
  }

  /** Reconnect after an open connection dropped: a short jittered pause, so that thousands of
   * clients dropped at once by one server do not come back in the same millisecond. */
  reconnectSoon(action: () => void): void {
    this.retryAfter(backoffMs(this.policy, 1, this.ctx.random), action);
  }

  /** Run `action` after `delayMs` unless stopped first (one pending retry at a time). */
  retryAfter(delayMs: number, action: () => void): void {
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.active) return;
      if (this.offlineHow === 'silent') this.parkedRetry = action;
      else action();
    }, delayMs);
  }

  /** Leave for good: clears the pending retry; a start still pending rejects. */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.parkedRetry = undefined;
    this.clearRetry();
    this.settleStart(new Error(`client ${this.ctx.clientId} stopped before it connected`));
  }

  private giveUp(reason: string): void {
    const wasConnected = this.state === 'running';
    this.state = 'stopped';
    this.clearRetry();
    this.settleStart(new Error(`client ${this.ctx.clientId} gave up: ${reason}`));
    this.closeResources();
    if (wasConnected) this.ctx.sink.failure(this.ctx.clientIndex, 'disconnect', `gave up: ${reason}`);
  }

  private settleStart(error: Error | undefined): void {
    const resolve = this.resolveStart;
    const reject = this.rejectStart;
    this.resolveStart = undefined;
    this.rejectStart = undefined;
    if (error === undefined) resolve?.();
    else reject?.(error);
  }

  private clearRetry(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
