/**
 * Entry for `child_process.fork('dist/server/child.js', [JSON.stringify(options)])`: the runner
 * keeps the server in its own process so that server and clients never share an event loop.
 *
 * Messages to the parent: `{type: 'ready', url}` once listening, `{type: 'error', message}` if
 * the server cannot start. The child exits when the IPC channel closes (the parent died or let
 * go), on SIGTERM or on SIGINT, so no orphan outlives a run.
 */
import { startReferenceServer } from './server.js';
import type { ServerOptionsInput } from './options.js';

async function runChild(): Promise<void> {
  let options: ServerOptionsInput;
  try {
    options = JSON.parse(process.argv[2] ?? '{}') as ServerOptionsInput;
  } catch (err) {
    return fatal(`options in argv[2] are not valid JSON: ${(err as Error).message}`);
  }
  let server;
  try {
    server = await startReferenceServer(options);
  } catch (err) {
    return fatal((err as Error).message);
  }
  const running = server;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A server that will not close in time must still not survive its parent.
    setTimeout(() => process.exit(1), 5000).unref();
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (process.send) process.send({ type: 'ready', url: running.url });
  else process.stderr.write(`push-bench server listening on ${running.url} (no IPC channel)\n`);
  // The parent may already be gone before the listeners existed.
  if (process.send && !process.connected) stop();
}

function fatal(message: string): void {
  if (process.send) process.send({ type: 'error', message });
  process.stderr.write(`push-bench server: ${message}\n`);
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}

void runChild();
