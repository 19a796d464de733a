/**
 * The raw baseline's clients: plain `ws` and `node:http` connections that time each broadcast
 * (receive time − the event's intended time "t") into the same HDR histogram push-bench uses,
 * so that both sides are measured alike. Forked by bench/scale.mjs, one or more per run.
 *
 * IPC: ← {type:'start', kind, port, first, count, fleetSize, rampStartNs, rampUpMs, localAddresses}
 *      → {type:'connected', connected, failed}; ← {type:'window', windowStartNs, windowEndNs} → {type:'window-set'}; ← {type:'mark'} → {type:'marked'}
 *      ← {type:'end'} → {type:'marked'} (window usage kept); ← {type:'stop'} → {type:'report', delivered, latency (encoded), cpuMs, elu, rssPeakBytes}
 */
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { LatencyHistogram } from '../../dist/metrics/histogram.js';

const latency = new LatencyHistogram();
let delivered = 0;
let windowStart = 0n;
let windowEnd = 0n;
const sockets = [];

function record(text, receivedNs) {
  const at = text.indexOf('"t":"');
  if (at < 0) return;
  const intended = BigInt(text.slice(at + 5, text.indexOf('"', at + 5)));
  if (intended < windowStart || intended >= windowEnd) return;
  delivered++;
  latency.record(receivedNs - intended);
}

function connectWs(port, localAddress) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    ws.on('message', (data) => record(data.toString(), process.hrtime.bigint()));
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
    sockets.push(ws);
  });
}

function connectSse(port, localAddress) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/sse', agent: false, ...(localAddress ? { localAddress } : {}) }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const receivedNs = process.hrtime.bigint();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (message.startsWith('data: ')) record(message, receivedNs);
        }
      });
      resolve(res.statusCode === 200);
    });
    req.once('error', () => resolve(false));
    req.end();
    sockets.push(req);
  });
}

async function start(m) {
  const starts = [];
  for (let i = 0; i < m.count; i++) {
    const global = m.first + i;
    const dueNs = BigInt(m.rampStartNs) + BigInt(Math.round((global / m.fleetSize) * m.rampUpMs * 1e6));
    const waitMs = Number(dueNs - process.hrtime.bigint()) / 1e6;
    if (waitMs >= 1) await sleep(waitMs);
    const address = m.localAddresses.length > 0 ? m.localAddresses[global % m.localAddresses.length] : undefined;
    starts.push(m.kind === 'ws' ? connectWs(m.port, address) : connectSse(m.port, address));
  }
  const ok = (await Promise.all(starts)).filter(Boolean).length;
  process.send({ type: 'connected', connected: ok, failed: m.count - ok });
}

let usage = { cpuMs: 0, elu: 0, rssPeakBytes: 0 };
let mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: 0 };
setInterval(() => { mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss()); }, 100).unref();

process.on('message', (m) => {
  if (m.type === 'start') void start(m);
  if (m.type === 'window') {
    windowStart = BigInt(m.windowStartNs);
    windowEnd = BigInt(m.windowEndNs);
    process.send({ type: 'window-set' });
  }
  if (m.type === 'mark') {
    mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: process.memoryUsage.rss() };
    process.send({ type: 'marked' });
  }
  if (m.type === 'end') {
    const cpu = process.cpuUsage(mark.cpu);
    usage = { cpuMs: (cpu.user + cpu.system) / 1e3, elu: performance.eventLoopUtilization(mark.elu).utilization, rssPeakBytes: mark.rssPeak };
    process.send({ type: 'marked' });
  }
  if (m.type === 'stop') {
    const report = { type: 'report', delivered, latency: latency.encode(), ...usage };
    for (const s of sockets) s.destroy?.() ?? s.terminate?.();
    process.send(report, () => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
