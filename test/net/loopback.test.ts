import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/net/loopback.js';

const LOOPBACK = ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'];
const NOT_LOOPBACK = ['0.0.0.0', '::', '[::]', '192.168.1.10', '128.0.0.1', '::2', 'example.com', '127.evil.example', '127.0.0.999', '127.1', ''];

describe('isLoopback', () => {
  it.each(LOOPBACK)('%s is loopback', (host) => expect(isLoopback(host)).toBe(true));
  it.each(NOT_LOOPBACK)('%s is not loopback', (host) => expect(isLoopback(host)).toBe(false));
});
