import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sinkBatch, sinkEvent } from '../../src/transports/events.js';
import { parseTransportName, TRANSPORT_NAMES, TRANSPORTS } from '../../src/transports/catalog.js';
import { backoffMs, defaultRetryPolicy } from '../../src/transports/retry.js';
import { SocketMeter } from '../../src/transports/socket-meter.js';
import { Cleanup, RecordingSink, eventJson, waitFor } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('catalog', () => {
  it('lists each transport once, pull before push', () => {
    expect(TRANSPORT_NAMES).toEqual(['polling', 'long-polling', 'amqp-get', 'sse', 'sse-h2', 'http-stream', 'websocket', 'amqp-consume', 'mqtt']);
    expect(new Set(TRANSPORT_NAMES).size).toBe(TRANSPORTS.length);
    const styles = TRANSPORTS.map((module) => module.style);
    expect(styles.lastIndexOf('pull')).toBeLessThan(Math.max(styles.indexOf('push'), styles.length));
  });

  it('names the valid transports when given an unknown one', () => {
    expect(parseTransportName('sse')).toBe('sse');
    expect(() => parseTransportName('carrier-pigeon')).toThrow(
      'unknown transport "carrier-pigeon"; valid transports: polling, long-polling, amqp-get, sse, sse-h2, http-stream, websocket, amqp-consume, mqtt',
    );
    expect(() => parseTransportName('toString')).toThrow(/unknown transport/);
  });
});

describe('backoff', () => {
  it('doubles up to the cap and stays within [ceiling/2, ceiling]', () => {
    expect(backoffMs(defaultRetryPolicy, 1, () => 0)).toBe(50);
    expect(backoffMs(defaultRetryPolicy, 1, () => 0.999999)).toBeCloseTo(100, 3);
    expect(backoffMs(defaultRetryPolicy, 3, () => 0)).toBe(200);
    expect(backoffMs(defaultRetryPolicy, 30, () => 0)).toBe(2_500);
  });
});

describe('event decoding', () => {
  it('hands a well-formed batch to the sink, gap first', () => {
    const sink = new RecordingSink();
    const body = `{"events":[${eventJson(3, 'héllo')},${eventJson(4)}],"next":4,"gap":{"from":1,"to":2}}`;
    expect(sinkBatch(sink, 0, body, 99n)).toEqual({ next: 4, delivered: 2, more: false });
    expect(sinkBatch(sink, 0, '{"events":[],"next":4,"more":true}', 99n)).toEqual({ next: 4, delivered: 0, more: true });
    expect(sink.gaps).toEqual([{ clientIndex: 0, from: 1, to: 2 }]);
    expect(sink.events.get(0)).toEqual([
      { seq: 3, intendedNs: 1_000_003n, payloadBytes: 6, receivedNs: 99n },
      { seq: 4, intendedNs: 1_000_004n, payloadBytes: 4, receivedNs: 99n },
    ]);
  });

  it('reports malformed answers and events instead of dropping them silently', () => {
    const sink = new RecordingSink();
    expect(sinkBatch(sink, 0, 'not json', 1n).next).toBe(-1);
    expect(sinkBatch(sink, 0, '{"events":[]}', 1n).next).toBe(-1);
    expect(sinkEvent(sink, 0, { seq: 1, t: '12x', p: '' }, 1n)).toBe(-1);
    expect(sinkEvent(sink, 0, { seq: '1', t: '12', p: '' }, 1n)).toBe(-1);
    expect(sink.failures.map((f) => f.kind)).toEqual(['protocol', 'protocol', 'protocol', 'protocol']);
    expect(sink.totalEvents()).toBe(0);
  });
});

describe('SocketMeter', () => {
  it('sums bytes of live and closed sockets', async () => {
    const server: Server = createServer((socket) => {
      socket.on('data', (data) => socket.write(Buffer.concat([data, data])));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.add(() => new Promise((resolve) => server.close(resolve)), undefined);
    const port = (server.address() as { port: number }).port;
    const meter = new SocketMeter();

    const open = async (): Promise<Socket> => {
      const socket = connect(port, '127.0.0.1');
      meter.track(socket);
      await once(socket, 'connect');
      return socket;
    };
    const first = await open();
    first.write('hello');
    await waitFor(() => first.bytesRead === 10, 'echo', 5_000);
    first.destroy();
    await once(first, 'close');

    const second = await open();
    cleanup.add(() => second.destroy(), undefined);
    second.write('abc');
    await waitFor(() => second.bytesRead === 6, 'echo', 5_000);

    expect(meter.snapshot()).toEqual({ up: 8, down: 16 });
    expect(meter.trackedSockets).toBe(2);
    expect(meter.openSockets).toBe(1);
  });
});
