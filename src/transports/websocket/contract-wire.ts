import { parseJson, sinkEvent, sinkEventText, sinkGap } from '../events.js';
import type { ClientContext } from '../types.js';
import type { SocketWire } from '../wire.js';
import type { WebSocketSettings } from './settings.js';

/**
 * WebSocket as the wire contract spells it: GET /ws?client=ID&after=CURSOR, one text frame per
 * event JSON, a gap marker as `{"gap":{from,to}}`.
 */
export class ContractSocketWire implements SocketWire {
  readonly protocols: readonly string[] = [];
  private readonly prefix: string;
  private cursor = 0;

  constructor(private readonly ctx: ClientContext<WebSocketSettings>) {
    this.prefix = `${ctx.baseUrl.replace(/^http/, 'ws')}/ws?${scenarioQuery(ctx)}&after=`;
  }

  url(): string {
    return this.prefix + this.cursor;
  }

  message(text: string, receivedNs: bigint): boolean {
    const { sink, clientIndex } = this.ctx;
    const fast = sinkEventText(sink, clientIndex, text, receivedNs);
    if (fast !== null) {
      if (fast > 0) this.cursor = fast;
      return fast > 0;
    }
    const message = parseJson(text) as { gap?: unknown } | undefined;
    if (message !== null && typeof message === 'object' && 'gap' in message) {
      const to = sinkGap(sink, clientIndex, message.gap);
      if (to > this.cursor) this.cursor = to;
      return false;
    }
    const seq = sinkEvent(sink, clientIndex, message, receivedNs);
    if (seq > 0) this.cursor = seq;
    return seq > 0;
  }
}

/**
 * `heartbeat` and `compress` ask the reference server for this scenario's pings and deflate on
 * this connection (its per-connection options); omitted, the server's defaults hold. Compression
 * also needs the client's offer (perMessageDeflate), so a server defaulting to it stays off
 * unless the scenario switches it on.
 */
function scenarioQuery(ctx: ClientContext<WebSocketSettings>): string {
  const { heartbeatMs, compression } = ctx.settings;
  return `client=${encodeURIComponent(ctx.clientId)}` + (heartbeatMs === null ? '' : `&heartbeat=${heartbeatMs}`) + (compression ? '&compress=1' : '');
}
