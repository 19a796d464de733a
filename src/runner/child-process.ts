/** Starting and stopping our child processes by PID, so that none outlives the run. */
import { fork, type ChildProcess } from 'node:child_process';

/** Children still running, so that an exit of the orchestrator can stop them all. */
const running = new Set<ChildProcess>();

export function forkChild(modulePath: URL, args: string[] = []): ChildProcess {
  const child = fork(modulePath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL if it has not gone after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Last resort on the way out (also on an uncaught error): kill every child still running. */
export function killAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}


process.once('exit', killAllChildren);
