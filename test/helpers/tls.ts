/** One certificate per test worker: made without any network, by the run's own code. */
import type { RunningServer, ServerOptionsInput } from '../../src/server/index.js';
import { generateCertificate, type RunCertificate } from '../../src/tool/certificate.js';
import { transportModule } from '../../src/transports/catalog.js';
import type { ClientContext } from '../../src/transports/types.js';

let made: Promise<RunCertificate> | undefined;

export function testCertificate(): Promise<RunCertificate> {
  made ??= generateCertificate({ hosts: ['127.0.0.1', 'localhost'], days: 1 });
  return made;
}

/** What a server must be started with to serve `transport`: a secure one (sse-h2) needs its TLS listener. */
export async function serverOptionsFor(transport: string): Promise<ServerOptionsInput> {
  if (!transportModule(transport).server?.secure) return {};
  const { key, cert } = await testCertificate();
  return { tls: { key, cert } };
}

/** The part of a client's context that points a secure transport at the server's TLS listener (nothing for a plain server). */
export async function tlsContext(server: RunningServer): Promise<Pick<ClientContext<unknown>, 'tls'>> {
  if (!server.secureUrl) return {};
  return { tls: { baseUrl: server.secureUrl, ca: (await testCertificate()).ca } };
}
