/** How a bench script ends: a bad flag exits 2 with the flags listed, a failure 1, Ctrl-C 130; child processes never outlive it. */
import { killAllChildren, stopAllChildren } from '../../src/runner/child-process.js';
import { BadFlag, usage, type FlagSpec } from './args.js';

/** The bench ran and its verdict is "failed" (e.g. memory not flat): exit 1 with the message, no stack. */
export class BenchFailed extends Error {}

/** Messages go to stderr; only the figures go to stdout. */
export const log = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * Runs a bench script's main and maps its end to an exit code: 0 done, 1 failed, 2 bad flags
 * (with the flags listed), 130 interrupted. Child processes are stopped by PID in every case.
 */
export function runBench(name: string, spec: FlagSpec, main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
  void main()
    .then(
      () => 0,
      (error: unknown) => {
        if (error instanceof BadFlag) {
          log(`${name}: ${error.message}\nflags:\n${usage(spec)}`);
          return 2;
        }
        if (error instanceof BenchFailed) log(`${name}: ${error.message}`);
        else log(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return 1;
      },
    )
    .then(async (code) => {
      await stopAllChildren();
      process.exitCode = code;
    });
}
