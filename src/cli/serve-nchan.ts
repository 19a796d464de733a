import { NginxMissing } from '../runner/nginx-process.js';
import { startNchan, type NchanProcess } from '../runner/nchan-process.js';
import { UsageError } from './exit-codes.js';

export interface ServeNchanOptions {
  /** 0 = any free port. */
  port: number;
}

/**
 * `push-bench serve-nchan`: a real nginx with nchan on 127.0.0.1, in the layout push-bench's
 * nchan adapter expects, for trying it by hand and for measuring it with --target. Resolves
 * with an exit code once SIGINT or SIGTERM has stopped nginx (1 if nginx died on its own).
 */
export async function serveNchanCommand(opts: ServeNchanOptions): Promise<number> {
  let nchan: NchanProcess;
  try {
    nchan = await startNchan(opts.port === 0 ? {} : { port: opts.port });
  } catch (err) {
    // Something to install: bad input to the machine, as a missing scenario file is (exit 2).
    if (err instanceof NginxMissing) throw new UsageError(err.message);
    process.stderr.write(`push-bench serve-nchan: cannot start nginx with nchan on 127.0.0.1:${opts.port}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(endpointList(nchan));
  process.stderr.write('Press Ctrl-C to stop.\n');

  const died = await new Promise<boolean>((resolve) => {
    const finish = (byItself: boolean): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      nchan.died.removeEventListener('abort', onDied);
      resolve(byItself);
    };
    const stop = (): void => finish(false);
    const onDied = (): void => finish(true);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    nchan.died.addEventListener('abort', onDied);
  });
  if (died) process.stderr.write(`push-bench serve-nchan: ${String(nchan.died.reason)}\n`);
  else process.stderr.write('Stopping…\n');
  // Also after a death: nginx's worker may outlive its master, and the private directory goes.
  await nchan.stop();
  return died ? 1 : 0;
}

function endpointList({ url, pid }: NchanProcess): string {
  const wsUrl = url.replace(/^http/, 'ws');
  const lines = [
    `nchan (nginx, pid ${pid}) on ${url}`,
    // --target-pid: nginx's master, whose process tree (the worker too) /proc measures for CPU and memory.
    `Measure it: push-bench run scenarios/notifications.yaml --target nchan+${url} --target-pid ${pid}`,
    `  POST ${url}/pub?id=a,b       publish one message (the request body) to channels a and b`,
    `  GET  ${url}/sub?id=a         SSE with "Accept: text/event-stream"; WebSocket on ${wsUrl}/sub?id=a`,
    `  GET  ${url}/long-poll?id=a   long polling (408 after the hold with nothing new)`,
    `  GET  ${url}/poll?id=a        interval polling (304 when nothing is new)`,
    `  GET  ${url}/nchan_status     nchan's counters`,
    '',
    `Try: curl -N -H 'Accept: text/event-stream' '${url}/sub?id=a'   and in another shell:`,
    `     curl -X POST '${url}/pub?id=a' -d 'hello'`,
    '',
  ];
  return lines.join('\n');
}
