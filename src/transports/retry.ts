/** How a client retries after a failure while it runs. */
export interface RetryPolicy {
  /** first backoff (ms) */
  baseMs: number;
  /** backoff cap (ms) */
  maxMs: number;
  /** give up (report and stop the client) after this many failures in a row */
  maxConsecutiveFailures: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseMs: 100, maxMs: 5_000, maxConsecutiveFailures: 10 };

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  return overrides === undefined ? defaultRetryPolicy : { ...defaultRetryPolicy, ...overrides };
}

/**
 * Exponential backoff with "equal jitter": half fixed, half random. The random half keeps
 * thousands of clients dropped by one server restart from reconnecting in lock-step.
 */
export function backoffMs(policy: RetryPolicy, failuresInARow: number, random: () => number): number {
  const exponent = Math.max(0, failuresInARow - 1);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return ceiling / 2 + (ceiling / 2) * random();
}
