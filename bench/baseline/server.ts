/**
 * The raw baseline server: what a few dozen lines of plain `ws`, `node:http` or `node:http2` do
 * with the same fleet and the same broadcast rate, so that push-bench's figures can be read as
 * ratios to it. No store, no sequence numbers, no slow-consumer policy: a loop that sends
 * every due broadcast to every open connection. Forked by bench/lib/baseline-run.ts; argv[2] is
 * 'ws', 'sse', 'ndjson' (a chunked stream of newline-delimited JSON on GET /stream) or 'sse-h2'
 * (SSE over HTTP/2 and TLS with a certificate made at start, its CA in the ready message).
 *
 * IPC: → ready; ← broadcast; ← mark → marked; ← usage → usage (messages.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { generateCertificate } from '../../src/tool/certificate.js';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { tell } from '../lib/ipc.js';
import type { ServerUsage, StartBroadcasts } from './messages.js';

const kind = process.argv[2];
const streams = new Set<ServerResponse | Http2ServerResponse>();
const sockets = new Set<WebSocket>();
/** How a message is written on a held HTTP response: an SSE event, or a line of JSON. */
const frame = kind === 'ndjson' ? (message: string) => message + '\n' : (message: string) => 'data: ' + message + '\n\n';
const certificate = kind === 'sse-h2' ? await generateCertificate({ hosts: ['127.0.0.1'], days: 1 }) : undefined;
/** A held GET answered plainly: SSE or a stream of JSON lines. */
function plainStream(req: IncomingMessage, res: ServerResponse): void {
  if (kind === 'sse' && req.url?.startsWith('/sse')) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(': open\n\n');
  } else if (kind === 'ndjson' && req.url?.startsWith('/stream')) {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
    res.flushHeaders();
  } else {
    return void res.writeHead(404).end();
  }
  streams.add(res);
  res.once('close', () => streams.delete(res));
}

/** SSE on an HTTP/2 stream. */
function h2Stream(req: Http2ServerRequest, res: Http2ServerResponse): void {
  if (!req.url.startsWith('/sse')) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': open\n\n');
  streams.add(res);
  res.once('close', () => streams.delete(res));
}

const plain = certificate ? undefined : createServer(plainStream);
const server = certificate ? createSecureServer({ key: certificate.key, cert: certificate.cert }, h2Stream) : plain!;
if (kind === 'ws' && plain) {
  const wss = new WebSocketServer({ server: plain, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.once('close', () => sockets.delete(ws));
  });
}

function broadcastAll(message: string): void {
  for (const ws of sockets) ws.send(message);
  const framed = frame(message);
  for (const res of streams) (res as ServerResponse).write(framed);
}

/** Sends every broadcast that is due on each wake (timers here are ~1 ms coarse). */
function runSchedule({ startNs, ratePerS, untilNs, payloadBytes }: StartBroadcasts): void {
  const gapNs = BigInt(Math.round(1e9 / ratePerS));
  const payload = 'x'.repeat(payloadBytes);
  let nextNs = BigInt(startNs) + gapNs / 2n;
  const end = BigInt(untilNs);
  const tick = () => {
    const now = process.hrtime.bigint();
    while (nextNs <= now && nextNs < end) {
      broadcastAll('{"t":"' + nextNs + '","p":"' + payload + '"}');
      nextNs += gapNs;
    }
    if (nextNs < end) setTimeout(tick, Math.max(0, Number(nextNs - process.hrtime.bigint()) / 1e6));
  };
  tick();
}

let mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: process.memoryUsage.rss() };
setInterval(() => {
  mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss());
}, 100).unref();

process.on('message', (message: { type: string }) => {
  if (message.type === 'broadcast') runSchedule(message as StartBroadcasts);
  if (message.type === 'mark') {
    mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: process.memoryUsage.rss() };
    tell({ type: 'marked' });
  }
  if (message.type === 'usage') {
    const cpu = process.cpuUsage(mark.cpu);
    mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss());
    const usage: ServerUsage = {
      type: 'usage',
      cpuMs: (cpu.user + cpu.system) / 1e3,
      rssPeakBytes: mark.rssPeak,
      elu: performance.eventLoopUtilization(mark.elu).utilization,
      connections: sockets.size + streams.size,
    };
    tell(usage);
  }
});
process.on('disconnect', () => process.exit(0));
// Exiting (rather than dying of the signal) lets a child run with --cpu-prof write its profile (PUSH_BENCH_CPU_PROFILE).
process.on('SIGTERM', () => process.exit(0));
server.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, () => {
  tell({
    type: 'ready',
    port: (server.address() as AddressInfo).port,
    idleRssBytes: process.memoryUsage.rss(),
    ...(certificate ? { ca: certificate.ca } : {}),
  });
});
