/** Question and answer over a child's IPC channel, for the baseline's processes. */
import type { ChildProcess } from 'node:child_process';

export interface Message {
  type: string;
  [field: string]: unknown;
}

/** Sends `message` (if any) and resolves with the first reply of type `replyType`; rejects if the child dies first or stays silent. */
export function ask<T extends Message>(child: ChildProcess, message: Message | undefined, replyType: T['type'], timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`pid ${child.pid}: no ${replyType} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (reply: Message) => {
      if (reply.type === replyType) finish(undefined, reply as T);
    };
    const onExit = (code: number | null) => finish(new Error(`pid ${child.pid} exited (${code}) before answering ${message?.type ?? replyType}`));
    function finish(error: Error | undefined, reply?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(reply!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}

/** Tells the parent, when there is one (the baseline's processes are always forked). */
export function tell(message: Message): void {
  process.send?.(message);
}
