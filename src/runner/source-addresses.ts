/**
 * Source addresses for the client sockets. Connecting without one is the fastest way, while each
 * server port takes no more clients than the kernel hands ports out quickly for
 * (clientsPerServerPort, limits.ts); past that the clients are spread round-robin over
 * 127.0.0.1, 127.0.0.2, ..., few enough per address that binding stays fast too. On Linux every
 * 127.x.y.z is local (lo carries 127.0.0.1/8), so they need no setup; elsewhere they must be
 * added as aliases.
 */
import { isLoopback } from '../net/loopback.js';
import { clientsPerBoundAddress, clientsPerServerPort, type LimitFacts } from './limits.js';

/** Most source addresses push-bench spreads over on its own (127.0.0.1 … 127.0.0.250). */
const MAX_ADDRESSES = 250;

/**
 * The addresses to spread `clients` over, or [] when the server's `serverProcesses` ports take
 * them all quickly (the OS then picks, as it always did). Only for a server on loopback: a remote server sees the machine's
 * real address, which the loopback addresses are not; and only for IPv4 (127.0.0.x sources
 * cannot reach a server on ::1, and every IPv6 literal has a colon).
 */
export function sourceAddressesFor(clients: number, facts: LimitFacts, serverHost = '127.0.0.1', serverProcesses = 1): string[] {
  if (!isLoopback(serverHost) || serverHost.includes(':') || !facts.loopbackSlash8) return [];
  if (Math.ceil(clients / Math.max(1, serverProcesses)) <= clientsPerServerPort(facts)) return [];
  const needed = Math.ceil(clients / clientsPerBoundAddress(facts));
  if (needed <= 1) return [];
  return loopbackAddresses(Math.min(needed, MAX_ADDRESSES));
}

/** 127.0.0.1 … 127.0.0.n. */
function loopbackAddresses(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}
