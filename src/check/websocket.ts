/** GET /ws: the upgrade, server pings, and how bad client frames are refused. */
import { deliveryRules } from './delivery.js';
import { refusal } from './control.js';
import { openWs } from './receive.js';
import { oversizedFrameHeader, sendRawFrame, UNMASKED_FRAME } from './raw-websocket.js';
import { fail, pass, skip, type Rule } from './rule.js';

const HEARTBEAT_MS = 200;
/** Far above any sane frame limit (the reference server's default is 64 KiB), below what a 64-bit length can carry. */
const OVERSIZED_BYTES = 2 ** 30;

export const websocketRules: Rule[] = [
  ...deliveryRules('websocket'),
  {
    id: 'websocket.upgrade-required-426',
    transport: 'websocket',
    endpoint: 'GET /ws',
    statement: 'GET /ws without a WebSocket upgrade answers 426 upgrade_required',
    async run(ctx) {
      const client = await ctx.client();
      const answer = await ctx.http('GET', `/ws?client=${client}&after=0`);
      return refusal(answer.status, answer.json, 426, 'upgrade_required');
    },
  },
  {
    id: 'websocket.heartbeat-ping',
    transport: 'websocket',
    endpoint: 'GET /ws',
    statement: `with heartbeat=${HEARTBEAT_MS}, the server pings an idle connection about every interval`,
    timeoutMs: 10_000,
    async run(ctx) {
      const client = await ctx.client();
      const path = `/ws?client=${client}&after=0&heartbeat=${HEARTBEAT_MS}`;
      const exchange = ctx.record(`GET ${path} (WebSocket upgrade)`);
      const socket = await openWs(ctx, path, exchange);
      if (socket.status !== 101 || !socket.ws) return fail(`the handshake answered ${socket.status}, not 101`);
      const ws = socket.ws;
      const limitMs = HEARTBEAT_MS * 3 + 2_000;
      const pinged = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), limitMs);
        ws.once('ping', () => {
          clearTimeout(timer);
          resolve(true);
        });
        ws.once('close', () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      exchange.got = pinged ? '101, then a ping' : `101, then no ping within ${limitMs} ms`;
      ws.terminate();
      return pinged ? pass() : fail(`no ping within ${limitMs} ms of an idle connection`);
    },
  },
  {
    id: 'websocket.unmasked-frame-1002',
    transport: 'websocket',
    endpoint: 'GET /ws',
    statement: 'a client frame without a mask (malformed) closes the connection with 1002',
    async run(ctx) {
      const client = await ctx.client();
      const close = await sendRawFrame(ctx, `/ws?client=${client}&after=0`, UNMASKED_FRAME, 'an unmasked text frame');
      if (close.code === undefined) return fail(close.got);
      return close.code === 1002 ? pass() : fail(`closed with ${close.code}, not 1002 (protocol error)`);
    },
  },
  {
    id: 'websocket.oversized-frame-1009',
    transport: 'websocket',
    endpoint: 'GET /ws',
    statement: 'a client frame larger than the server accepts (1 GiB announced) closes the connection with 1009 (skipped when the server waits for it)',
    async run(ctx) {
      const client = await ctx.client();
      const close = await sendRawFrame(ctx, `/ws?client=${client}&after=0`, oversizedFrameHeader(OVERSIZED_BYTES), 'a frame header announcing 1 GiB');
      if (close.code === undefined && close.got.startsWith('101, then no close frame')) {
        return skip('the server waits for the 1 GiB payload: its frame limit is above that, or it has none');
      }
      if (close.code === undefined) return fail(close.got);
      return close.code === 1009 ? pass() : fail(`closed with ${close.code}, not 1009 (message too big)`);
    },
  },
];
