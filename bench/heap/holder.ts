/**
 * The client side of bench:heap: opens N idle connections (WebSocket or SSE) to a server, at a
 * bounded pace, holds them, and says `open` once every one is open. argv: url, count, transport.
 */
import { get, Agent, type ClientRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { clientId } from '../../src/runner/client-ids.js';
import { tell } from '../lib/ipc.js';

const [url, countText, transport] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
/** Connections opened at once before a short pause, so the accept queue never overflows. */
const BURST = 200;
const held: Array<WebSocket | ClientRequest> = [];
const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
let open = 0;
const opened = () => void (++open === count && tell({ type: 'open' }));
const failed = (error: Error) => tell({ type: 'failed', message: error.message });

for (let i = 0; i < count; i++) {
  const id = clientId(i);
  if (transport === 'websocket') {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws?client=${id}&after=0`, { perMessageDeflate: false });
    ws.once('open', opened).once('error', failed);
    held.push(ws);
  } else {
    const request = get(`${url}/sse?client=${id}`, { agent }, (res) => {
      res.resume();
      opened();
    });
    request.once('error', failed);
    held.push(request);
  }
  if (i % BURST === BURST - 1) await sleep(50);
}
process.on('disconnect', () => process.exit(0));
