import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCertificate } from '../../src/tool/certificate.js';

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

async function listen(key: string, cert: string): Promise<number> {
  server = createServer({ key, cert }, (socket) => socket.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Connects and resolves with what the server said, or rejects with the TLS error. */
function talk(port: number, options: { ca?: string; servername?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...options });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('generateCertificate', () => {
  it('makes a server certificate a client trusting only its CA accepts, by IP and by name', async () => {
    const { key, cert, ca } = await generateCertificate({ hosts: ['127.0.0.1', 'localhost'], days: 2 });
    const port = await listen(key, cert);
    // No servername: the client checks the IP SAN of 127.0.0.1.
    await expect(talk(port, { ca })).resolves.toBe('hello');
    await expect(talk(port, { ca, servername: 'localhost' })).resolves.toBe('hello');
    await expect(talk(port, { ca, servername: 'example.com' })).rejects.toThrow(/altnames|does not match/i);
  });

  it('is refused by a client that does not trust its CA', async () => {
    const { key, cert } = await generateCertificate({ hosts: ['127.0.0.1'], days: 1 });
    const other = await generateCertificate({ hosts: ['127.0.0.1'], days: 1 });
    const port = await listen(key, cert);
    // The system store alone, and another run's CA: both refuse.
    await expect(talk(port, {})).rejects.toThrow(/certificate/i);
    await expect(talk(port, { ca: other.ca })).rejects.toThrow(/certificate|signature/i);
  });

  it('signs a leaf (not a CA) valid for the days asked, issued by the CA it returns', async () => {
    const { cert, ca } = await generateCertificate({ hosts: ['127.0.0.1', 'localhost'], days: 3 });
    const leaf = new X509Certificate(cert);
    const root = new X509Certificate(ca);
    expect(leaf.ca).toBe(false);
    expect(root.ca).toBe(true);
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(days).toBeCloseTo(3, 1);
    expect(Date.parse(leaf.validFrom)).toBeLessThanOrEqual(Date.now());
  });
});
