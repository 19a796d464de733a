import { BlockList, createServer, isIP } from 'node:net';

/** 127.0.0.0/8 and ::1; node:net parses the address, so "127.0.0.999" or "127.1" is no loopback. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` names this machine's loopback interface: "localhost", an IPv4 address in
 * 127.0.0.0/8, or ::1 in any spelling (also bracketed as in a URL, or IPv4-mapped).
 */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const address = host.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  if (family === 0) return false;
  return LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A port free on 127.0.0.1 a moment ago: listened on with port 0, read, released. For programs
 * that cannot say which port 0 gave them (nginx, the brokers); another process may take it in
 * between, so a caller retries once on "address in use".
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
