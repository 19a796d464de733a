/**
 * A child process that died under a run: named by role, PID and how it ended, so the run can
 * stop the phase at once and say exactly what happened.
 */
export class ProcessDied extends Error {
  constructor(
    /** e.g. "the reference server (pid 1234)" */
    readonly process: string,
    /** e.g. "killed by SIGKILL", "exited with code 1" */
    readonly how: string,
  ) {
    super(`${process} ${how}`);
    this.name = 'ProcessDied';
  }
}

/** How a child ended, in words. */
export function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
}

/** Resolves with `work`, or rejects with the signal's reason as soon as it aborts. */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    // Reactions run in the order they were added: the listener goes before work's outcome is passed on.
    const stopListening = () => signal.removeEventListener('abort', onAbort);
    work.then(stopListening, stopListening);
    work.then(resolve, reject);
  });
}
