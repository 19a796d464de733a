import { BlockList, isIP } from 'node:net';

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
