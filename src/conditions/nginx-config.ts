/**
 * The configuration of a real nginx put in front of the reference server as a reverse proxy.
 * Pure: text from numbers, so every directive is tested without starting nginx.
 *
 * Everything a run must own is set here (ports, files, limits), and everything else is left at
 * nginx's production defaults on purpose: proxy_read_timeout 60s, proxy_buffering on, the
 * client keep-alive limits. Those defaults are the gotchas users meet in production (a quiet SSE
 * stream cut after 60 s, a stream buffered by the proxy), and a benchmark that tuned them away
 * would hide them.
 */

/** nginx's own proxy_read_timeout: a proxied response silent for this long is cut. */
const NGINX_DEFAULT_READ_TIMEOUT_MS = 60_000;

/**
 * Open files nginx's worker needs besides its connections: listening socket, log, the
 * eventfd and epoll descriptors, temp files of buffered bodies.
 */
const RESERVED_FILES = 64;

/** Each proxied client holds two connections in the worker: one from the client, one to the server. */
const CONNECTIONS_PER_CLIENT = 2;

/** What every nginx push-bench starts owns: its port, its private directory, its limits. */
export interface NginxPlace {
  /** The loopback port nginx listens on (chosen by the caller: nginx cannot report a port 0 choice). */
  listenPort: number;
  /** A private, absolute directory for the pid file, logs and temp files. */
  dir: string;
  /** Clients the run connects at once; sizes worker_connections. */
  clients: number;
  /** The most open files one process may have (the hard RLIMIT_NOFILE). */
  maxOpenFiles: number;
  /** The `user` directive, needed only when nginx starts as root (its workers would otherwise run as nobody). */
  user?: string;
}

export interface NginxConfigOptions extends NginxPlace {
  /** The reference server's port on 127.0.0.1. */
  upstreamPort: number;
  /** proxy_read_timeout, ms; nginx's default (60 s) unless a test needs a shorter one. */
  readTimeoutMs?: number;
  /** proxy_buffering; on by default, as in nginx. A response can still turn it off with `X-Accel-Buffering: no`. */
  buffering?: boolean;
}

/** How one kind of nginx spends open files on its clients, for sizing its limits and refusing what cannot fit. */
export interface ClientCost {
  /** Who needs them, as the messages say it: "nginx", "nginx with nchan". */
  server: string;
  /** Connections one client holds in the worker. */
  perClient: number;
  /** Why that many, for the message. */
  why: string;
}

const PROXY_COST: ClientCost = {
  server: 'nginx',
  perClient: CONNECTIONS_PER_CLIENT,
  why: "the client's connection and its connection to the server",
};

/** The open files nginx's worker needs for `clients` clients. */
function filesFor(clients: number, cost: ClientCost): number {
  return clients * cost.perClient + RESERVED_FILES;
}

/** The most clients one nginx worker can serve under a per-process open-file limit. */
function maxClients(maxOpenFiles: number, cost: ClientCost): number {
  return Math.max(0, Math.floor((maxOpenFiles - RESERVED_FILES) / cost.perClient));
}

/** Why nginx cannot serve `clients` clients under `maxOpenFiles`, or null when it can. */
function clientsProblem(clients: number, maxOpenFiles: number, cost: ClientCost): string | null {
  const files = filesFor(clients, cost);
  if (files <= maxOpenFiles) return null;
  const each = cost.perClient === 1 ? '1 open file per client' : `${cost.perClient} open files per proxied client`;
  return (
    `${cost.server} needs ${each} (${cost.why}): ` +
    `${clients} clients need ${files}, but a process may open ${maxOpenFiles} here; ` +
    `use at most ${maxClients(maxOpenFiles, cost)} clients, or raise the hard limit (as root: ulimit -Hn ${files})`
  );
}

/** The most clients one nginx worker can proxy under a per-process open-file limit. */
export function maxNginxClients(maxOpenFiles: number): number {
  return maxClients(maxOpenFiles, PROXY_COST);
}

/** Why nginx cannot proxy `clients` clients under `maxOpenFiles`, or null when it can. */
export function nginxClientsProblem(clients: number, maxOpenFiles: number): string | null {
  return clientsProblem(clients, maxOpenFiles, PROXY_COST);
}

/** nginx's time syntax; ms keeps sub-second test timeouts exact. */
function ms(value: number): string {
  return `${Math.round(value)}ms`;
}

/** Indents every non-empty line of `text` by `spaces`. */
function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(spaces));
}

interface NginxFile {
  /** What this nginx is, for the first comment line. */
  purpose: string;
  /** Absolute paths of dynamic modules to load (nginx's own Debian build loads none unless told). */
  modules?: string[];
  place: NginxPlace;
  cost: ClientCost;
  /** The http block's own directives (maps, upstreams, the server), unindented. */
  http: string;
}

/**
 * A whole nginx.conf: the head every nginx of a run shares (foreground, one worker, every file
 * in the private directory, limits sized from the clients), then the caller's http directives.
 */
export function nginxFile(f: NginxFile): string {
  const problem = clientsProblem(f.place.clients, f.place.maxOpenFiles, f.cost);
  if (problem) throw new RangeError(problem);
  const connections = filesFor(f.place.clients, f.cost);
  const { dir, user } = f.place;
  const modules = (f.modules ?? []).map((path) => `load_module ${path};\n`).join('');
  return `# Generated by push-bench: ${f.purpose}.
${modules}# In the foreground so the runner owns it by PID; a master and one worker, as in production
# (one worker: its CPU is measured as one figure, and one core carries a loopback benchmark).
daemon off;
master_process on;
worker_processes 1;
${user ? `# Started as root: the worker runs as the same user, so it can use the private directory.\nuser ${user};\n` : ''}# Every file in the run's private directory: nothing touches /run, /var/log or /var/lib.
pid ${dir}/nginx.pid;
lock_file ${dir}/nginx.lock;
# Errors go to stderr, which the runner reads (an upstream timeout shows there as a cut stream).
error_log stderr warn;
# Descriptors: ${f.cost.perClient} per client (${f.cost.why}) plus a reserve; the worker may open that many.
worker_rlimit_nofile ${connections};

events {
    worker_connections ${connections};
}

http {
    # A benchmark makes thousands of requests a second: logging each would measure the disk.
    access_log off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;

${indent(f.http, 4)}}
`;
}

export function nginxConfig(o: NginxConfigOptions): string {
  const readTimeoutMs = o.readTimeoutMs ?? NGINX_DEFAULT_READ_TIMEOUT_MS;
  const buffering = o.buffering ?? true;
  return nginxFile({
    purpose: 'a reverse proxy in front of the reference server',
    place: o,
    cost: PROXY_COST,
    http: `# WebSocket: hop-by-hop Upgrade and Connection headers are not forwarded unless set again;
# without an Upgrade the Connection header is emptied, so the upstream connection stays keep-alive.
map $http_upgrade $connection_upgrade {
    default upgrade;
    '' '';
}

upstream reference {
    server 127.0.0.1:${o.upstreamPort};
    # Reuse connections to the server (nginx's default opens one per request): one idle
    # connection per client at most, so polling does not churn ports into TIME_WAIT.
    keepalive ${Math.max(16, o.clients)};
}

server {
    listen 127.0.0.1:${o.listenPort};

    location / {
        proxy_pass http://reference;
        # HTTP/1.1 upstream: needed for keep-alive and for the WebSocket upgrade.
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        # A response silent for this long is cut (nginx's default: 60s).
        proxy_read_timeout ${ms(readTimeoutMs)};
        # nginx buffers responses by default; the reference server turns it off per SSE response with X-Accel-Buffering: no.
        proxy_buffering ${buffering ? 'on' : 'off'};
    }
}
`,
  });
}
