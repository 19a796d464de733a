/** The exit codes (0 ok, 1 the run failed or a threshold broke, 2 bad input, 130 interrupted), in one place. */
export const EXIT = {
  ok: 0,
  /** The run failed or a threshold broke. */
  failed: 1,
  /** Bad input: a scenario, a flag, a file. */
  usage: 2,
  /** Interrupted (Ctrl-C, SIGTERM): what a shell reports for a death by SIGINT (128 + 2), so scripts tell it from a failure. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad input from the user: printed as is (no stack trace) and mapped to exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
