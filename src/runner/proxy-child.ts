/**
 * Entry of a shaping proxy process (forked by proxy-process.ts): one ShapingProxy between one
 * client process and the reference server, in its own process so that shaping neither steals
 * the clients' event loop nor hides in their figures. It reports its own cost between the
 * window's two marks, as a client process does.
 *
 * Messages to the parent: `{type: 'ready', port}` once listening, `{type: 'error', message}` if
 * it cannot start, `{type: 'marked', edge, usage?}` for each mark (usage at the end mark). It
 * exits when the IPC channel closes, on SIGTERM or on SIGINT, so no orphan outlives a run.
 */
import { performance } from 'node:perf_hooks';
import type { LinkShape } from '../conditions/shaping-proxy.js';
import { ShapingProxy, type ProxyCounts } from '../conditions/shaping-proxy.js';
import { readRss } from '../tool/rss.js';
import { seededRandom } from './random.js';

export interface ProxyChildOptions {
  targetHost: string;
  targetPort: number;
  shape: LinkShape;
  idleTimeoutMs: number | null;
  /** Seed of the jitter; each connection and direction gets its own stream from it. */
  seed: number;
}

/** One proxy's figures between the window's marks. */
export interface ProxyWindow extends ProxyCounts {
  cpuMs: number;
  elu: number;
  rssPeakBytes: number;
}

export type ToProxyProcess = { type: 'mark'; edge: 'start' | 'end' };
export type FromProxyProcess =
  { type: 'ready'; port: number } | { type: 'error'; message: string } | { type: 'marked'; edge: 'start' | 'end'; usage?: ProxyWindow };

interface Mark {
  counts: ProxyCounts;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
}

function send(message: FromProxyProcess): void {
  if (process.send && process.connected) process.send(message);
}

async function runChild(): Promise<void> {
  let options: ProxyChildOptions;
  try {
    options = JSON.parse(process.argv[2] ?? '') as ProxyChildOptions;
  } catch (error) {
    return fatal(`options in argv[2] are not valid JSON: ${(error as Error).message}`);
  }
  let proxy: ShapingProxy;
  try {
    proxy = await ShapingProxy.start({
      targetHost: options.targetHost,
      targetPort: options.targetPort,
      shape: options.shape,
      // Distinct streams per connection and direction, all from the run's seed.
      random: (connection, side) => seededRandom(options.seed * 1_000_003 + connection * 2 + (side === 'up' ? 0 : 1)),
      ...(options.idleTimeoutMs !== null ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    });
  } catch (error) {
    return fatal((error as Error).message);
  }
  let start: Mark | undefined;
  let rssPeak = 0;
  const sampler = setInterval(() => {
    if (start) rssPeak = Math.max(rssPeak, readRss() ?? 0);
  }, 100).unref();
  const mark = (): Mark => ({ counts: { ...proxy.counts }, cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() });

  process.on('message', (message: ToProxyProcess) => {
    if (message.type !== 'mark') return;
    if (message.edge === 'start') {
      start = mark();
      rssPeak = readRss() ?? 0;
      return send({ type: 'marked', edge: 'start' });
    }
    const end = mark();
    const usage = start ? windowOf(start, end, Math.max(rssPeak, readRss() ?? 0)) : undefined;
    start = undefined;
    send({ type: 'marked', edge: 'end', ...(usage ? { usage } : {}) });
  });

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(sampler);
    setTimeout(() => process.exit(1), 3_000).unref();
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  // Ctrl-C reaches the whole process group; the orchestrator stops us by PID.
  process.on('SIGINT', () => undefined);
  send({ type: 'ready', port: proxy.port });
  if (!process.connected) stop();
}

function windowOf(start: Mark, end: Mark, rssPeakBytes: number): ProxyWindow {
  const since = (key: keyof ProxyCounts) => end.counts[key] - start.counts[key];
  return {
    connections: since('connections'),
    bytesUp: since('bytesUp'),
    bytesDown: since('bytesDown'),
    pauses: since('pauses'),
    idleCuts: since('idleCuts'),
    cpuMs: (end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system) / 1_000,
    elu: performance.eventLoopUtilization(end.elu, start.elu).utilization,
    rssPeakBytes,
  };
}

function fatal(message: string): void {
  send({ type: 'error', message });
  process.stderr.write(`push-bench proxy: ${message}\n`);
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}

void runChild();
