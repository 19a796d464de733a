/**
 * The raw baseline's clients: plain `ws` and `node:http` connections (SSE, or a newline-delimited JSON stream) that time each broadcast
 * (receive time − the event's intended time "t") into the same HDR histogram push-bench uses,
 * so that both sides are measured alike. Forked by bench/lib/baseline-run.ts, one or more per run.
 *
 * IPC: ← start → connected; ← window → window-set; ← mark → marked; ← end → marked (window
 * usage kept); ← stop → report (messages.ts).
 */
import { request, type ClientRequest } from 'node:http';
import { connect as connectH2 } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { LatencyHistogram } from '../../src/metrics/histogram.js';
import { tell } from '../lib/ipc.js';
import type { ClientsReport, SetWindow, StartClients } from './messages.js';

const latency = new LatencyHistogram();
let delivered = 0;
let windowStart = 0n;
let windowEnd = 0n;
const connections: Array<{ close(): void }> = [];

function record(text: string, receivedNs: bigint): void {
  const at = text.indexOf('"t":"');
  if (at < 0) return;
  const intended = BigInt(text.slice(at + 5, text.indexOf('"', at + 5)));
  if (intended < windowStart || intended >= windowEnd) return;
  delivered++;
  latency.record(receivedNs - intended);
}

function connectWs(port: number, localAddress: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    ws.on('message', (data: Buffer) => record(data.toString(), process.hrtime.bigint()));
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
    connections.push({ close: () => ws.terminate() });
  });
}

/** A stream's data handler: the text between separators, each message timed when its chunk arrived. */
function messagesOf(separator: string): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    const receivedNs = process.hrtime.bigint();
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf(separator)) >= 0) {
      record(buffer.slice(0, end), receivedNs);
      buffer = buffer.slice(end + separator.length);
    }
  };
}

/** A held GET: SSE events end with a blank line, NDJSON lines with a newline; comments and heartbeats carry no "t" and are skipped. */
function connectStream(kind: 'sse' | 'ndjson', port: number, localAddress: string | undefined): Promise<boolean> {
  const path = kind === 'sse' ? '/sse' : '/stream';
  const separator = kind === 'sse' ? '\n\n' : '\n';
  return new Promise((resolve) => {
    const req: ClientRequest = request({ host: '127.0.0.1', port, path, agent: false, ...(localAddress ? { localAddress } : {}) }, (res) => {
      res.setEncoding('utf8');
      res.on('data', messagesOf(separator));
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.end();
    connections.push({ close: () => req.destroy() });
  });
}

/** SSE over HTTP/2 and TLS: a session (one connection) per client, trusting the server's own CA only. */
function connectH2Stream(port: number, ca: string, localAddress: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const session = connectH2(`https://127.0.0.1:${port}`, { ca, ...(localAddress ? { localAddress } : {}) });
    session.on('error', () => resolve(false));
    const stream = session.request({ ':path': '/sse', accept: 'text/event-stream' });
    stream.setEncoding('utf8');
    stream.on('data', messagesOf('\n\n'));
    stream.on('error', () => resolve(false));
    stream.once('response', (headers) => resolve(headers[':status'] === 200));
    connections.push({ close: () => session.destroy() });
  });
}

async function start(m: StartClients): Promise<void> {
  const starts: Array<Promise<boolean>> = [];
  for (let i = 0; i < m.count; i++) {
    const global = m.first + i;
    const dueNs = BigInt(m.rampStartNs) + BigInt(Math.round((global / m.fleetSize) * m.rampUpMs * 1e6));
    const waitMs = Number(dueNs - process.hrtime.bigint()) / 1e6;
    if (waitMs >= 1) await sleep(waitMs);
    const address = m.localAddresses.length > 0 ? m.localAddresses[global % m.localAddresses.length] : undefined;
    starts.push(
      m.kind === 'ws'
        ? connectWs(m.port, address)
        : m.kind === 'sse-h2'
          ? connectH2Stream(m.port, m.ca ?? '', address)
          : connectStream(m.kind, m.port, address),
    );
  }
  const ok = (await Promise.all(starts)).filter(Boolean).length;
  tell({ type: 'connected', connected: ok, failed: m.count - ok });
}

let usage = { cpuMs: 0, elu: 0, rssPeakBytes: 0 };
let mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: 0 };
setInterval(() => {
  mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss());
}, 100).unref();

process.on('message', (m: { type: string }) => {
  if (m.type === 'start') void start(m as StartClients);
  if (m.type === 'window') {
    windowStart = BigInt((m as SetWindow).windowStartNs);
    windowEnd = BigInt((m as SetWindow).windowEndNs);
    tell({ type: 'window-set' });
  }
  if (m.type === 'mark') {
    mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: process.memoryUsage.rss() };
    tell({ type: 'marked' });
  }
  if (m.type === 'end') {
    const cpu = process.cpuUsage(mark.cpu);
    usage = { cpuMs: (cpu.user + cpu.system) / 1e3, elu: performance.eventLoopUtilization(mark.elu).utilization, rssPeakBytes: mark.rssPeak };
    tell({ type: 'marked' });
  }
  if (m.type === 'stop') {
    const report: ClientsReport = { type: 'report', delivered, latency: latency.encode(), ...usage };
    for (const connection of connections) connection.close();
    process.send?.(report, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
// Exiting (rather than dying of the signal) lets a child run with --cpu-prof write its profile (PUSH_BENCH_CPU_PROFILE).
process.on('SIGTERM', () => process.exit(0));
