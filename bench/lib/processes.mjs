/** Child processes of a benchmark: forked, asked over IPC, always stopped by PID. */
import { fork } from 'node:child_process';

const running = new Set();

export function forkTracked(modulePath, args = []) {
  const child = fork(modulePath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Sends a message and resolves with the first reply of type `replyType` (rejects if the child dies first). */
export function ask(child, message, replyType, timeoutMs = 120_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`pid ${child.pid}: no ${replyType} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (reply) => reply.type === replyType && finish(undefined, reply);
    const onExit = (code) => finish(new Error(`pid ${child.pid} exited (${code}) before answering ${message.type}`));
    function finish(error, reply) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(reply);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}

export function waitFor(child, replyType, timeoutMs) {
  return ask(child, undefined, replyType, timeoutMs);
}

/** SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
export async function stopProcess(child, graceMs = 3_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}
