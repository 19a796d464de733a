/** Waiting on observable state, never on the clock: the one wait every test uses. */
import { setTimeout as sleep } from 'node:timers/promises';

/** For pacing a publisher or a poll loop; never to let time pass before an assertion. */
export { sleep };

/**
 * Resolves with the first truthy value of `check` (polled every 10 ms); rejects after
 * `timeoutMs`, naming `what` it waited for. The bound is generous on purpose: on a loaded
 * 2-core machine slowness must not read as failure, and a passing wait ends at once.
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
