/**
 * A WebSocket handshake over a bare socket, then bytes no WebSocket library would send (an
 * unmasked frame, a frame header announcing a huge payload): `ws` masks and sizes every frame
 * it sends correctly, so testing how a server refuses bad frames needs the bytes by hand.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { describeError, type RuleContext } from './context.js';

export interface RawClose {
  /** The close code of the server's close frame; undefined when none came. */
  code: number | undefined;
  /** What happened, for the report. */
  got: string;
}

const CLOSE_OPCODE = 0x8;

/** Opens `path` with a handshake, sends `frame` and waits for the server's close frame. */
export function sendRawFrame(ctx: RuleContext, path: string, frame: Buffer, what: string): Promise<RawClose> {
  const exchange = ctx.record(`GET ${path} (WebSocket upgrade), then ${what}: ${frame.subarray(0, 16).toString('hex')}${frame.length > 16 ? '…' : ''}`);
  const url = new URL(ctx.session.url);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    let settled = false;
    let upgraded = false;
    let buffer = Buffer.alloc(0);
    const socket: Socket = secure ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    const finish = (result: RawClose) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      exchange.got = result.got;
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ code: undefined, got: upgraded ? `101, then no close frame within ${ctx.waitMs} ms` : `no answer within ${ctx.waitMs} ms` }),
      ctx.waitMs,
    );
    ctx.onEnd(() => finish({ code: undefined, got: '(the rule ended)' }));
    socket.once('connect', () => undefined);
    socket.on('error', (error) => finish({ code: undefined, got: `(${describeError(error)})` }));
    socket.on('close', () =>
      finish({ code: undefined, got: upgraded ? '101, then the connection closed without a close frame' : '(closed before the handshake)' }),
    );
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buffer.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!/^HTTP\/1\.1 101\b/.test(status)) return finish({ code: undefined, got: `${status} (no upgrade)` });
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        socket.write(frame);
      }
      const close = closeCode(buffer);
      if (close !== undefined) finish({ code: close, got: `101, then a close frame with code ${close}` });
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** The code of the first close frame in `data` (server frames are unmasked), skipping frames before it; 1005 for a close without code. */
function closeCode(data: Buffer): number | undefined {
  let at = 0;
  while (data.length - at >= 2) {
    const opcode = data[at]! & 0x0f;
    const masked = (data[at + 1]! & 0x80) !== 0;
    let length = data[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (data.length - at < 4) return undefined;
      length = data.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (data.length - at < 10) return undefined;
      length = Number(data.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (masked) header += 4;
    if (data.length - at < header + length) return undefined;
    if (opcode === CLOSE_OPCODE) return length >= 2 ? data.readUInt16BE(at + header) : 1005;
    at += header + length;
  }
  return undefined;
}

/** A text frame "hi" without the mask every client frame must carry (RFC 6455 5.1). */
export const UNMASKED_FRAME = Buffer.from([0x81, 0x02, 0x68, 0x69]);

/** The header of a masked binary frame announcing `bytes` of payload; the payload is never sent. */
export function oversizedFrameHeader(bytes: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(bytes), 2);
  randomBytes(4).copy(header, 10);
  return header;
}
