import type { EventSourceMessage } from 'eventsource-parser';
import { parseJson, preview, sinkEvent, sinkEventText, sinkGap } from '../events.js';
import type { ClientContext } from '../types.js';
import type { StreamWire } from '../wire.js';
import type { SseSettings } from './settings.js';

/**
 * SSE as the wire contract spells it: GET /sse?client=ID, `Last-Event-ID` = the cursor (a seq),
 * events of type `message` (an event JSON) and `gap` (a gap marker).
 */
export class ContractStreamWire implements StreamWire {
  readonly path: string;
  private cursor = 0;

  constructor(private readonly ctx: ClientContext<SseSettings>) {
    const heartbeatMs = ctx.settings.heartbeatMs;
    // `heartbeat` asks the reference server for this scenario's heartbeats on this stream
    // (a per-connection option of the reference server); omitted, the server's default holds.
    this.path = `/sse?client=${encodeURIComponent(ctx.clientId)}${heartbeatMs === null ? '' : `&heartbeat=${heartbeatMs}`}`;
  }

  headers(): Record<string, string> {
    return this.cursor > 0 ? { 'last-event-id': String(this.cursor) } : {};
  }

  message(message: EventSourceMessage, receivedNs: bigint): void {
    const { sink, clientIndex } = this.ctx;
    if (message.event === undefined || message.event === 'message') {
      const seq = sinkEventText(sink, clientIndex, message.data, receivedNs) ?? sinkEvent(sink, clientIndex, parseJson(message.data), receivedNs);
      if (seq > 0) this.cursor = seq;
    } else if (message.event === 'gap') {
      const to = sinkGap(sink, clientIndex, parseJson(message.data));
      if (to > this.cursor) this.cursor = to;
    } else {
      sink.failure(clientIndex, 'protocol', `unknown SSE event type "${preview(message.event)}"`);
    }
  }
}
