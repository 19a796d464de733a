/**
 * The raw baseline server (issue 5): what a few dozen lines of plain `ws` or `node:http` do
 * with the same fleet and the same broadcast rate, so that push-bench's figures can be read as
 * ratios to it. No store, no sequence numbers, no slow-consumer policy: a loop that sends
 * every due broadcast to every open connection. Forked by bench/scale.mjs; argv[2] is 'ws' or 'sse'.
 *
 * IPC: → {type:'ready', port, idleRssBytes}; ← {type:'broadcast', startNs, ratePerS, untilNs, payloadBytes}
 *      ← {type:'mark'} → {type:'marked'}; ← {type:'usage'} → {type:'usage', cpuMs, rssPeakBytes, elu, connections}
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

const kind = process.argv[2];
const connections = new Set();
const server = createServer((req, res) => {
  if (kind !== 'sse' || !req.url?.startsWith('/sse')) return res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(': open\n\n');
  connections.add(res);
  res.once('close', () => connections.delete(res));
});
if (kind === 'ws') {
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
  wss.on('connection', (ws) => {
    connections.add(ws);
    ws.once('close', () => connections.delete(ws));
  });
}

function broadcastAll(message) {
  if (kind === 'ws') for (const ws of connections) ws.send(message);
  else for (const res of connections) res.write('data: ' + message + '\n\n');
}

/** Sends every broadcast that is due on each wake (timers here are ~1 ms coarse). */
function runSchedule({ startNs, ratePerS, untilNs, payloadBytes }) {
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
setInterval(() => { mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss()); }, 100).unref();

process.on('message', (message) => {
  if (message.type === 'broadcast') runSchedule(message);
  if (message.type === 'mark') {
    mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), rssPeak: process.memoryUsage.rss() };
    process.send({ type: 'marked' });
  }
  if (message.type === 'usage') {
    const cpu = process.cpuUsage(mark.cpu);
    mark.rssPeak = Math.max(mark.rssPeak, process.memoryUsage.rss());
    process.send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1e3, rssPeakBytes: mark.rssPeak, elu: performance.eventLoopUtilization(mark.elu).utilization, connections: connections.size });
  }
});
process.on('disconnect', () => process.exit(0));
server.listen({ port: 0, host: '127.0.0.1', backlog: 65_535 }, () => {
  process.send({ type: 'ready', port: server.address().port, idleRssBytes: process.memoryUsage.rss() });
});
