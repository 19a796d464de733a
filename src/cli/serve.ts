import { isLoopback } from '../net/loopback.js';
import { startReferenceServer, type RunningServer } from '../server/index.js';
import { EXIT } from './exit-codes.js';

export interface ServeOptions {
  port: number;
  host: string;
  /** Bearer token required on control endpoints; null = none. */
  token: string | null;
}

/**
 * `push-bench serve`: the reference server on its own, for curl, browsers and clients written
 * elsewhere. Clients register themselves on first use (autoRegister). Resolves with an exit code
 * once SIGINT or SIGTERM has stopped the server.
 */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  let server;
  try {
    server = await startReferenceServer({ port: opts.port, host: opts.host, autoRegister: true, token: opts.token });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // A port or address the user chose that cannot be had is bad input (exit 2), with the fix.
    if (code === 'EADDRINUSE') {
      process.stderr.write(
        `push-bench serve: --port ${opts.port}: another process already listens on ${opts.host}:${opts.port}; stop it, or give another port (--port 0 takes any free one)\n`,
      );
      return EXIT.usage;
    }
    if (code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      process.stderr.write(
        `push-bench serve: cannot listen on ${opts.host}:${opts.port} (${code}): ${code === 'EACCES' ? 'ports below 1024 need privileges; use a port above 1023' : 'this machine has no such address; use 127.0.0.1 or one of its own'}\n`,
      );
      return EXIT.usage;
    }
    process.stderr.write(`push-bench serve: cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  if (!isLoopback(opts.host) && opts.token === null) {
    process.stderr.write(
      `\nWARNING: listening on ${opts.host}, reachable from other machines, WITHOUT A TOKEN: anyone who can reach\n` +
        'it can publish events and reset it. Give --token (or PUSH_BENCH_TOKEN), or bind 127.0.0.1.\n\n',
    );
  }
  process.stdout.write(endpointList(server.url, server.transportEndpoints, opts.token !== null));
  process.stderr.write('Press Ctrl-C to stop.\n');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('Stopping…\n');
  await server.close();
  return 0;
}

function endpointList(url: string, transportEndpoints: RunningServer['transportEndpoints'], withToken: boolean): string {
  const wsUrl = url.replace(/^http/, 'ws');
  const auth = withToken ? ` -H "authorization: Bearer $PUSH_BENCH_TOKEN"` : '';
  const lines = [
    `push-bench reference server on ${url}`,
    `  POST ${url}/clients          register clients {"ids": ["a"]} (optional here: clients register on first use)`,
    `  POST ${url}/publish          publish {"to": "all", "payloadBytes": 200}`,
    `  POST ${url}/rooms            chat rooms {"rooms": {"r0": ["a", "b"]}}; then POST ${url}/send?client=a {"room": "r0", "t": "<ns>", "p": "hi"}`,
    ...transportEndpoints.map((e) => `  ${e.method.padEnd(4)} ${e.upgrade ? wsUrl : url}${e.pathAndQuery}`),
    `  GET  ${url}/health           GET  ${url}/clock  (the server's clocks: segments of a distributed run align on it)`,
    `  GET  ${url}/stats            POST ${url}/stats/reset`,
    `  POST ${url}/reset`,
    '',
    `Try: curl -N '${url}/sse?client=a'   and in another shell:`,
    `     curl -X POST ${url}/publish -H 'content-type: application/json'${auth} -d '{"to":"all","payloadBytes":16}'`,
    '',
  ];
  return lines.join('\n');
}
