/**
 * One side of bench:heap in a process of its own: the reference server (as `run` starts it) or
 * the raw baseline's few lines of `ws` / `node:http`, in this process, so that its heap can be
 * read after a full garbage collection before and after N idle connections open. argv: side
 * (push-bench | baseline), transport (websocket | sse), count. Replies `{type: 'heap', ...}`.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocketServer } from 'ws';
import { forkChild } from '../../src/runner/child-process.js';
import { clientId } from '../../src/runner/client-ids.js';
import { startReferenceServer } from '../../src/server/index.js';
import { ask, tell } from '../lib/ipc.js';

const [side, transport, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);

// A forked child cannot be given --expose-gc by forkChild; V8 takes the flag at run time too.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Memory after two full collections: what is retained, not garbage waiting to be swept. */
function retained(): NodeJS.MemoryUsage {
  gc();
  gc();
  return process.memoryUsage();
}

/** The baseline exactly as bench/baseline/server.ts serves it: held sockets in a Set, nothing else. */
async function baselineServer(): Promise<string> {
  const held = new Set<unknown>();
  const http = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(': open\n\n');
    held.add(res);
    res.once('close', () => held.delete(res));
  });
  if (transport === 'websocket') {
    const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
    wss.on('connection', (ws) => {
      held.add(ws);
      ws.once('close', () => held.delete(ws));
    });
  }
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function referenceServer(): Promise<string> {
  const server = await startReferenceServer({ host: '127.0.0.1', port: 0 });
  const ids = Array.from({ length: count }, (_, i) => clientId(i));
  // Registered before the first reading: a client's log exists whether or not it is connected.
  const answer = await fetch(`${server.url}/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
  if (!answer.ok) throw new Error(`POST /clients: ${answer.status}`);
  return server.url;
}

const url = side === 'push-bench' ? await referenceServer() : await baselineServer();
const before = retained();
const holder = forkChild(new URL('./holder.js', import.meta.url), [url, String(count), transport]);
// A connection that fails makes the figure meaningless: say so rather than divide by the wrong count.
holder.on('message', (message: { type: string; message?: string }) => {
  if (message.type === 'failed') tell({ type: 'heap-failed', message: message.message });
});
await ask(holder, undefined, 'open');
await sleep(500);
const after = retained();
const per = (key: keyof NodeJS.MemoryUsage) => (after[key] - before[key]) / count;
tell({ type: 'heap', heapUsed: per('heapUsed'), external: per('external'), rss: per('rss') });
holder.kill();
process.on('disconnect', () => process.exit(0));
