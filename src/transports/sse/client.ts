import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { StreamClient, type StreamReader } from '../stream-client.js';
import type { ClientContext, TransportClient } from '../types.js';
import type { StreamWire } from '../wire.js';
import { ContractStreamWire } from './contract-wire.js';
import type { SseSettings } from './settings.js';

/** Until the server's `retry:` says otherwise (browsers use a few seconds). */
const DEFAULT_RETRY_MS = 1_000;

/**
 * Server-Sent Events: a streaming GET /sse?client=ID (or its dialect's words, see wire.ts) parsed
 * with eventsource-parser, held by a StreamClient (stream-client.ts). When the stream drops, the
 * client reconnects after the server's `retry:` with `Last-Event-ID` set to its cursor, as
 * EventSource does.
 */
export function createSseClient(ctx: ClientContext<SseSettings>): TransportClient {
  return new StreamClient(ctx, new SseReader(ctx));
}

/** SSE's words for a StreamClient: the EventSource protocol, whatever carries it (HTTP/1.1 here, HTTP/2 for sse-h2). */
export class SseReader implements StreamReader {
  readonly name = 'SSE stream';
  readonly contentType = 'text/event-stream';
  private readonly parser: EventSourceParser;
  private readonly wire: StreamWire;
  private retryMs = DEFAULT_RETRY_MS;
  private chunkReceivedNs = 0n;

  constructor(private readonly ctx: ClientContext<Pick<SseSettings, 'heartbeatMs'>>) {
    this.wire = ctx.dialect?.stream?.(ctx) ?? new ContractStreamWire(ctx);
    this.parser = createParser({
      onEvent: (message) => this.wire.message(message, this.chunkReceivedNs),
      onRetry: (retryMs) => {
        this.retryMs = retryMs;
      },
      onError: (error) => this.onParseError(error),
    });
  }

  path(): string {
    return this.wire.path;
  }

  headers(): Record<string, string> {
    return { accept: 'text/event-stream', 'cache-control': 'no-cache', ...this.wire.headers() };
  }

  reset(): void {
    this.parser.reset();
  }

  feed(text: string, receivedNs: bigint): void {
    this.chunkReceivedNs = receivedNs;
    this.parser.feed(text);
  }

  reconnectMs(): number {
    return this.retryMs;
  }

  private onParseError(error: ParseError): void {
    this.ctx.sink.failure(this.ctx.clientIndex, 'protocol', `SSE parse error (${error.type}): ${error.message}`);
  }
}
