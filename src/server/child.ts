/**
 * Entry for `child_process.fork('dist/server/child.js', [JSON.stringify(options)])`: the runner
 * keeps the server in its own process so that server and clients never share an event loop.
 * Options with a private key (`tls`) must not travel in argv, which `ps` shows to every user:
 * argv then says `"tls": "ipc"` and the key and certificate come as the first IPC message,
 * `{type: 'tls', key, cert}`.
 *
 * A server process of a sharded run also gets `"backplane": {kind, url, channel}` in argv: it
 * subscribes before it says ready, and appends each message's events for the clients it holds.
 *
 * Messages to the parent: `{type: 'ready', url, secureUrl?}` once listening, `{type: 'error', message}` if
 * the server cannot start. The child exits when the IPC channel closes (the parent died or let
 * go), on SIGTERM or on SIGINT, so no orphan outlives a run.
 */
import { startReferenceServer, type RunningServer } from './server.js';
import { subscribeBackplane, type BackplaneSpec } from './backplane-link.js';
import type { ServerOptionsInput } from './options.js';

async function runChild(): Promise<void> {
  let options: ServerOptionsInput;
  let backplane: BackplaneSpec | undefined;
  try {
    ({ backplane, ...options } = JSON.parse(process.argv[2] ?? '{}') as ServerOptionsInput & { backplane?: BackplaneSpec });
  } catch (err) {
    return fatal(`options in argv[2] are not valid JSON: ${(err as Error).message}`);
  }
  let server;
  try {
    if ((options.tls as unknown) === 'ipc') options = { ...options, tls: await tlsFromParent() };
    server = await startReferenceServer(options);
  } catch (err) {
    return fatal((err as Error).message);
  }
  const running = server;
  let subscription: { close(): Promise<void> } | undefined;
  if (backplane) {
    try {
      subscription = await subscribeBackplane(backplane, (message) => deliver(running, message));
    } catch (err) {
      await running.close();
      return fatal(`cannot subscribe to the ${backplane.kind} backplane at ${backplane.url}: ${(err as Error).message}`);
    }
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // A server that will not close in time must still not survive its parent.
    setTimeout(() => process.exit(1), 5000).unref();
    Promise.all([subscription?.close(), running.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (process.send) process.send({ type: 'ready', url: running.url, ...(running.secureUrl ? { secureUrl: running.secureUrl } : {}) });
  else process.stderr.write(`push-bench server listening on ${running.url} (no IPC channel)\n`);
  // The parent may already be gone before the listeners existed.
  if (process.send && !process.connected) stop();
}

/** A malformed message on the run's own backplane is a bug to see in the server's stderr, never a crash. */
function deliver(running: RunningServer, message: string): void {
  try {
    running.deliverShare(message);
  } catch (err) {
    process.stderr.write(`push-bench server: a backplane message was refused: ${(err as Error).message}\n`);
  }
}

/** The key and certificate the parent sends right after the fork. */
function tlsFromParent(): Promise<{ key: string; cert: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no {type: "tls"} message from the parent within 10 s')), 10_000);
    process.once('message', (message: { type?: string; key?: string; cert?: string }) => {
      clearTimeout(timer);
      if (message.type === 'tls' && typeof message.key === 'string' && typeof message.cert === 'string') resolve({ key: message.key, cert: message.cert });
      else reject(new Error('the first IPC message was not {type: "tls", key, cert}'));
    });
  });
}

function fatal(message: string): void {
  if (process.send) process.send({ type: 'error', message });
  process.stderr.write(`push-bench server: ${message}\n`);
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}

void runChild();
