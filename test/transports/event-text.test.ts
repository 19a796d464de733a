/**
 * The fast reading of an event's text must agree with JSON.parse on everything it takes, and
 * leave to JSON.parse everything else: the figures may not depend on which path read an event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson, sinkEvent, sinkEventText } from '../../src/transports/events.js';
import type { ClientSink } from '../../src/transports/types.js';

type Call = [string, ...unknown[]];

/** A sink that records every call. */
function recorder(): ClientSink & { calls: Call[] } {
  const calls: Call[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);
  return new Proxy({ calls } as ClientSink & { calls: Call[] }, {
    get: (target, key) => (key === 'calls' ? target.calls : record(String(key))),
  });
}

/** The slow path: JSON.parse, then the shape check. */
function slow(text: string): { seq: number; calls: Call[] } {
  const sink = recorder();
  const seq = sinkEvent(sink, 3, parseJson(text), 42n);
  return { seq, calls: sink.calls };
}

function fast(text: string): { seq: number | null; calls: Call[] } {
  const sink = recorder();
  const seq = sinkEventText(sink, 3, text, 42n);
  return { seq, calls: sink.calls };
}

/** An event as the reference server writes it (wire.ts): per-client prefix, then the shared tail. */
const serverEvent = (seq: number, id: number, t: string, payload: string) => `{"seq":${seq},"id":${id},"t":"${t}","p":${JSON.stringify(payload)}}`;

describe('reading an event without JSON.parse', () => {
  it('reads the reference server’s events exactly as JSON.parse does, any payload included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (seq, id, t, payload) => {
          const text = serverEvent(seq, id, String(t), payload);
          const quick = fast(text);
          const full = slow(text);
          // A payload that needs an escape (quote, backslash, control character) or holds a
          // non-ASCII character is left to JSON.parse; everything else is read the same.
          const plain = JSON.stringify(payload).slice(1, -1) === payload && /^[\x20-\x7f]*$/.test(payload);
          expect(quick.seq !== null).toBe(plain);
          if (plain) expect(quick).toEqual(full);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('takes a plain payload, counting its bytes; a non-ASCII one goes to JSON.parse, which counts its UTF-8 bytes', () => {
    expect(fast(serverEvent(7, 1, '123', 'x'.repeat(200))).calls).toEqual([['event', 3, 7, 123n, 200, 42n]]);
    expect(fast(serverEvent(8, 1, '123', 'né €')).seq).toBeNull();
    expect(slow(serverEvent(8, 1, '123', 'né €')).calls).toEqual([['event', 3, 8, 123n, Buffer.byteLength('né €'), 42n]]);
  });

  it('leaves every other form to JSON.parse, and never reports a failure itself', () => {
    const others = [
      '{"gap":{"from":3,"to":5}}',
      '{"t":"1","seq":1,"id":1,"p":"x"}',
      '{"seq": 1,"id":1,"t":"1","p":"x"}',
      '{"seq":01,"id":1,"t":"1","p":"x"}',
      '{"seq":1.5,"id":1,"t":"1","p":"x"}',
      '{"seq":1,"id":1,"t":"1","p":"x"} ',
      '{"seq":1,"id":1,"t":"-1","p":"x"}',
      '{"seq":1,"id":1,"t":"007","p":"x"}',
      '{"seq":1,"id":1,"t":"1","p":"a\\"b"}',
      '{"seq":1,"id":1,"t":"1","p":"x","extra":1}',
      '{"seq":1,"id":1,"t":"1","p":x"}',
      '{"seq":1,"id":1,"t":"1","p":"}',
      '{"seq":1,"id":1,"t":"123456789012345678901","p":"x"}',
      'not json',
      '',
    ];
    for (const text of others) expect(fast(text), text).toEqual({ seq: null, calls: [] });
  });

  it('never takes a text that JSON.parse would read differently', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 }), (prefixNoise, payload) => {
        const text = `{"seq":1,"id":2,"t":"3","p":"${payload}"}${prefixNoise}`;
        const quick = fast(text);
        if (quick.seq !== null) expect(quick).toEqual(slow(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
