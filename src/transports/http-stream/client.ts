import { StreamClient, type StreamReader } from '../stream-client.js';
import type { ClientContext, TransportClient } from '../types.js';
import type { LineWire } from '../wire.js';
import { ContractLineWire } from './contract-wire.js';
import type { HttpStreamSettings } from './settings.js';

/**
 * HTTP streaming: a GET /stream?client=ID&after=CURSOR (or its dialect's words, see wire.ts)
 * whose chunked body is read line by line as it comes, held by a StreamClient
 * (stream-client.ts), as a page reads `fetch()`'s body stream. When the stream drops, the client
 * reconnects after a short jittered pause with `after` = its cursor (there is no `retry:` to
 * follow). Empty lines are heartbeats: they keep the stream (and undici's body timeout) alive
 * and carry nothing.
 */
export function createHttpStreamClient(ctx: ClientContext<HttpStreamSettings>): TransportClient {
  return new StreamClient(ctx, new LineReader(ctx.dialect?.lines?.(ctx) ?? new ContractLineWire(ctx)));
}

/**
 * Splits the body into lines across chunks. Hand-written: the few NDJSON parsers on npm are
 * Node streams or async iterators, and the dispatch handler needs a push-style one that keeps
 * each line's chunk arrival time (what latency is measured to).
 */
class LineReader implements StreamReader {
  readonly name = 'HTTP stream';
  readonly contentType = 'application/x-ndjson';
  /** The start of a line whose newline has not arrived yet. */
  private partial = '';

  constructor(private readonly wire: LineWire) {}

  path(): string {
    return this.wire.path();
  }

  headers(): Record<string, string> {
    return { accept: 'application/x-ndjson' };
  }

  reset(): void {
    this.partial = '';
  }

  feed(text: string, receivedNs: bigint): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const line = start === 0 && this.partial !== '' ? this.partial + text.slice(0, newline) : text.slice(start, newline);
      if (start === 0) this.partial = '';
      start = newline + 1;
      this.deliver(line, receivedNs);
    }
    if (start < text.length) this.partial += text.slice(start);
  }

  reconnectMs(): null {
    return null;
  }

  private deliver(line: string, receivedNs: bigint): void {
    // A CR before the newline is tolerated (CRLF-delimited JSON); a blank line is a heartbeat.
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text !== '') this.wire.line(text, receivedNs);
  }
}
