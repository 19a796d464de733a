import { describe, expect, it } from 'vitest';
import { maxNginxClients, nginxClientsProblem, nginxConfig, type NginxConfigOptions } from '../../src/conditions/nginx-config.js';

const base: NginxConfigOptions = { listenPort: 40001, upstreamPort: 40002, dir: '/tmp/x', clients: 100, maxOpenFiles: 20_000 };

/** The directives of the text, comments dropped, one per line, whitespace squeezed. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '');
}

describe('nginx configuration', () => {
  it("keeps nginx's production defaults for timeouts and buffering, and owns every path and port", () => {
    const lines = directives(nginxConfig(base));
    expect(lines).toEqual(
      expect.arrayContaining([
        'daemon off;',
        'master_process on;',
        'worker_processes 1;',
        'pid /tmp/x/nginx.pid;',
        'error_log stderr warn;',
        'access_log off;',
        'proxy_temp_path /tmp/x/proxy;',
        'client_body_temp_path /tmp/x/client_body;',
        'listen 127.0.0.1:40001;',
        'server 127.0.0.1:40002;',
        'proxy_http_version 1.1;',
        'proxy_set_header Upgrade $http_upgrade;',
        'proxy_set_header Connection $connection_upgrade;',
        'proxy_read_timeout 60000ms;',
        'proxy_buffering on;',
      ]),
    );
    expect(lines.some((line) => line.startsWith('user '))).toBe(false);
    // Every temp path a module could fall back to (/var/lib/nginx/...) is in the private directory.
    for (const line of lines.filter((l) => l.includes('_temp_path'))) expect(line).toMatch(/ \/tmp\/x\//);
    expect(lines.filter((l) => l.includes('_temp_path'))).toHaveLength(5);
  });

  it('takes a shorter read timeout, buffering off and a user when asked', () => {
    const lines = directives(nginxConfig({ ...base, readTimeoutMs: 2_000, buffering: false, user: 'root' }));
    expect(lines).toEqual(expect.arrayContaining(['proxy_read_timeout 2000ms;', 'proxy_buffering off;', 'user root;']));
  });

  it('sizes connections at two per client plus a reserve, and refuses more than the open-file limit allows', () => {
    const lines = directives(nginxConfig({ ...base, clients: 5_000 }));
    expect(lines).toEqual(expect.arrayContaining(['worker_connections 10064;', 'worker_rlimit_nofile 10064;', 'keepalive 5000;']));
    expect(maxNginxClients(20_000)).toBe(9_968);
    expect(nginxClientsProblem(9_968, 20_000)).toBeNull();
    const problem = nginxClientsProblem(9_969, 20_000);
    expect(problem).toMatch(/9969 clients need 20002, but a process may open 20000 here; use at most 9968 clients, or raise the hard limit/);
    expect(() => nginxConfig({ ...base, clients: 12_000 })).toThrow(/use at most 9968 clients/);
  });
});
