import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** PEM strings: the server's `key` and `cert`, and the `ca` a client trusts (and nothing else). */
export interface RunCertificate {
  key: string;
  cert: string;
  ca: string;
}

export interface CertificateRequest {
  /** Names the server answers to: IP addresses become IP SANs, the rest DNS SANs. */
  hosts: readonly string[];
  /** Validity in days from now. */
  days: number;
}

const DAY_MS = 86_400_000;

/**
 * A throw-away authority and a server certificate it signs, made offline for one run: no file, no
 * network, no system trust store. A separate CA (rather than a self-signed leaf trusted as its own
 * root) keeps the leaf an ordinary server certificate, as a browser expects. EC P-256 because it
 * is generated in milliseconds where RSA takes a noticeable fraction of a second, and it is what
 * TLS 1.3 deployments commonly use. The CA's key is dropped once the leaf is signed.
 */
export async function generateCertificate(request: CertificateRequest): Promise<RunCertificate> {
  if (request.hosts.length === 0) throw new Error('generateCertificate: hosts must name at least one host');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + request.days * DAY_MS);
  const common = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256', notBeforeDate, notAfterDate };
  const authority = await generate([{ name: 'commonName', value: 'push-bench run CA' }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: request.hosts[0] }], {
    ...common,
    ca: { key: authority.private, cert: authority.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: request.hosts.map((host) => (isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host })) },
    ],
  });
  return { key: leaf.private, cert: leaf.cert, ca: authority.cert };
}
