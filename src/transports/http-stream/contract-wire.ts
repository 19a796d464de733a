import { parseJson, preview, sinkEvent, sinkEventText, sinkGap } from '../events.js';
import type { ClientContext } from '../types.js';
import type { LineWire } from '../wire.js';
import type { HttpStreamSettings } from './settings.js';

/**
 * HTTP streaming as the wire contract spells it: GET /stream?client=ID&after=CURSOR, each line
 * an event JSON or a gap marker `{"gap":{"from":a,"to":b}}`.
 */
export class ContractLineWire implements LineWire {
  private readonly prefix: string;
  private readonly suffix: string;
  private cursor = 0;

  constructor(private readonly ctx: ClientContext<HttpStreamSettings>) {
    const heartbeatMs = ctx.settings.heartbeatMs;
    this.prefix = `/stream?client=${encodeURIComponent(ctx.clientId)}&after=`;
    // `heartbeat` asks the reference server for this scenario's heartbeats on this stream; omitted, the server's default holds.
    this.suffix = heartbeatMs === null ? '' : `&heartbeat=${heartbeatMs}`;
  }

  path(): string {
    return this.prefix + this.cursor + this.suffix;
  }

  line(text: string, receivedNs: bigint): void {
    const { sink, clientIndex } = this.ctx;
    const fast = sinkEventText(sink, clientIndex, text, receivedNs);
    if (fast !== null) {
      if (fast > 0) this.cursor = fast;
      return;
    }
    const value = parseJson(text) as { gap?: unknown } | undefined;
    if (value === undefined) return sink.failure(clientIndex, 'protocol', `a line that is not JSON: ${preview(text)}`);
    if (value !== null && typeof value === 'object' && 'gap' in value) {
      const to = sinkGap(sink, clientIndex, value.gap);
      if (to > this.cursor) this.cursor = to;
      return;
    }
    const seq = sinkEvent(sink, clientIndex, value, receivedNs);
    if (seq > 0) this.cursor = seq;
  }
}
