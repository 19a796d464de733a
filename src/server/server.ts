import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { servedModules, TRANSPORTS } from '../transports/catalog.js';
import type { AnyTransportModule, TransportEndpoint } from '../transports/module.js';
import type { ServerContext } from './context.js';
import { methodNotAllowed, notFound, toHttpError } from './errors.js';
import { parseRequestUrl, rejectUpgrade, sendError, sendJson } from './http-utils.js';
import { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.js';
import { handlePublish, handleRegister, publishOwnShare } from './publish.js';
import { ChatRooms, handleRooms, handleSend } from './chat.js';
import { guardControl } from './control-guard.js';
import { ConnectionShedder } from './shed.js';
import { ServerStats, type Channel } from './stats.js';
import { EventStore } from './store.js';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** With the `tls` option, the base URL of the second, TLS listener (HTTP/2 and HTTP/1.1), e.g. `https://127.0.0.1:41235`. */
  secureUrl?: string;
  host: string;
  /** The options in force, defaults filled in (record them with a run's results). */
  options: ServerOptions;
  /** Each transport's endpoints as a client reaches them; `upgrade`: a WebSocket (ws://) endpoint. */
  transportEndpoints: Array<{ method: 'GET' | 'POST'; upgrade: boolean; pathAndQuery: string }>;
  /** Appends a backplane message's events (a JSON publish batch) for the clients this process holds (publish.ts, publishOwnShare). */
  deliverShare(message: string): void;
  /** Stops listening, ends every stream, WebSocket and held long poll, frees every timer. */
  close(): Promise<void>;
}

/** The kernel caps this at net.core.somaxconn (4096 here). */
const LISTEN_BACKLOG = 65_535;

type Handler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

interface Route {
  method: 'GET' | 'POST';
  channel: Channel;
  handle: Handler;
  /** A control endpoint that changes state: JSON only, same origin only, the token when set (control-guard.ts). */
  guarded?: boolean;
}

type Upgrade = NonNullable<TransportEndpoint['upgrade']>['handle'];

/**
 * Starts the reference server; resolves once it listens. Every transport of `catalog` serves
 * its endpoint but a broker's (tests pass a copy of the catalog with a toy transport added).
 */
export async function startReferenceServer(input: ServerOptionsInput = {}, catalog: readonly AnyTransportModule[] = TRANSPORTS): Promise<RunningServer> {
  const options = resolveServerOptions(input, catalog);
  const served = servedModules(catalog);
  const stats: ServerStats = new ServerStats(
    served.map((module) => module.name),
    () => ({ registered: store.clientCount, listening: store.listeningCount }),
  );
  const store = new EventStore(options.retention, options.maxClients, stats);
  const rooms = new ChatRooms();
  const ctx: ServerContext = { options, store, stats, rooms };
  const endpoints = served.map((module) => {
    const channel = module.name as Channel;
    const endpoint = module.server.endpoint({
      server: ctx,
      options: (options.transports as Record<string, unknown>)[module.name],
      counters: stats.channels[channel],
    });
    // A secure endpoint is served on the TLS listener only, where its paths come before the plain ones.
    return { channel, endpoint, secure: module.server.secure === true };
  });

  const closeTransports = async (): Promise<void> => {
    await Promise.all(endpoints.map(({ endpoint }) => Promise.resolve(endpoint.closeAll())));
  };

  const controlRoutes: Array<[string, Route]> = [
    ['/publish', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handlePublish(ctx, req, res) }],
    ['/clients', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handleRegister(ctx, req, res) }],
    ['/rooms', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handleRooms(ctx, rooms, req, res) }],
    ['/send', { method: 'POST', channel: 'chat', handle: (req, res, query) => handleSend(ctx, rooms, req, res, query) }],
    ['/health', { method: 'GET', channel: 'control', handle: (_req, res) => sendJson(res, 200, { ok: true }) }],
    ['/clock', { method: 'GET', channel: 'control', handle: (_req, res) => sendJson(res, 200, clockReading()) }],
    ['/stats', { method: 'GET', channel: 'control', handle: (_req, res) => sendJson(res, 200, stats.snapshot()) }],
    [
      '/stats/reset',
      {
        method: 'POST',
        channel: 'control',
        guarded: true,
        handle: (req, res) => {
          req.resume();
          stats.reset();
          sendJson(res, 200, { ok: true });
        },
      },
    ],
    [
      '/reset',
      {
        method: 'POST',
        channel: 'control',
        guarded: true,
        handle: async (req, res) => {
          req.resume();
          await closeTransports();
          rooms.clear();
          store.clear();
          stats.reset();
          sendJson(res, 200, { ok: true });
        },
      },
    ],
  ];
  const plain = endpoints.filter(({ secure }) => !secure);
  const secure = endpoints.filter(({ secure }) => secure);
  const securePaths = new Set(secure.flatMap(({ endpoint }) => endpoint.routes.map((route) => route.path)));
  const servers: Listener[] = [
    { server: listener(null), tls: false, routes: uniqueRoutes([...transportRoutes(plain), ...controlRoutes]), upgrades: transportUpgrades(plain) },
  ];
  if (options.tls) {
    const shadowed = plain.map(({ channel, endpoint }) => ({
      channel,
      endpoint: { ...endpoint, routes: endpoint.routes.filter((r) => !securePaths.has(r.path)) },
    }));
    servers.push({
      server: listener(options.tls),
      tls: true,
      routes: uniqueRoutes([...transportRoutes(secure), ...transportRoutes(shadowed), ...controlRoutes]),
      upgrades: transportUpgrades([...secure, ...plain]),
    });
  }
  const shedder = new ConnectionShedder(stats);
  for (const listening of servers) serve(listening);

  /*
   * Listeners every request or upgrade gets are shared functions, not closures made per
   * connection: a stream holds its listeners for its whole life, and at tens of thousands of
   * streams they are memory per connection that the benchmarks hold against a plain server's.
   */
  function settleOnClose(this: ServerResponse): void {
    stats.settleSocket(this.req.socket);
  }

  function serve({ server, tls, routes, upgrades }: Listener): void {
    server.on('connection', (socket: Socket) => {
      if (options.maxConnections !== null && stats.openSockets >= options.maxConnections) return shedder.shed(socket, options.maxConnections, tls);
      stats.trackSocket(socket);
    });
    if (tls) {
      // 'connection' gives the TCP socket, 'secureConnection' the TLS socket wrapped around it that
      // requests name; Node offers no public link between the two, but the peer's address and port
      // tell one open connection from another.
      const byPeer = new Map<string, Socket>();
      const peer = (socket: Socket): string => `${socket.remoteAddress}:${socket.remotePort}`;
      server.on('connection', (socket: Socket) => {
        const key = peer(socket);
        byPeer.set(key, socket);
        socket.once('close', () => byPeer.get(key) === socket && byPeer.delete(key));
      });
      server.on('secureConnection', (tlsSocket: Socket) => {
        const tcp = byPeer.get(peer(tlsSocket));
        if (tcp) stats.shareAccount(tlsSocket, tcp);
      });
    }

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const { path, query } = parseRequestUrl(req.url);
      const route = routes.get(path);
      const channel = route?.channel ?? 'control';
      stats.assignSocket(req.socket, channel, req.httpVersionMajor >= 2);
      stats.channels[channel].requests++;
      // Bytes of a finished response (and of the request that led to it) go to its channel.
      res.once('close', settleOnClose);
      try {
        if (!route) throw notFound(path);
        if (req.method !== route.method) throw methodNotAllowed(req.method ?? '?', path, route.method);
        if (route.guarded) guardControl(req, options.token);
        const done = route.handle(req, res, query);
        if (done) done.catch((err: unknown) => fail(res, err));
      } catch (err) {
        fail(res, err);
      }
    });

    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Until ws owns the socket, its errors (a peer resetting mid-handshake) are ours to absorb.
      socket.on('error', ignoreError);
      const { path, query } = parseRequestUrl(req.url);
      const upgrade = upgrades.get(path);
      const channel = upgrade?.channel ?? 'control';
      stats.assignSocket(req.socket, channel);
      stats.channels[channel].requests++;
      if (!upgrade) return rejectUpgrade(socket, notFound(path));
      if (req.method !== 'GET') return rejectUpgrade(socket, methodNotAllowed(req.method ?? '?', path, 'GET'));
      upgrade.handle(req, socket, head, query);
    });
  }

  // The plain listener takes the port asked for; the TLS one, any free port beside it.
  for (const [i, { server }] of servers.entries()) await listen(server, i === 0 ? options.port : 0, options.host);
  // Errors after listen must not crash the process. Out of file descriptors, accept fails: the
  // connection is shed (libuv accepts and closes it on a reserved descriptor), the ones already
  // open keep being served, and /stats counts it; the log says so once per second at most.
  let lastAcceptLogMs = -Infinity;
  for (const { server } of servers)
    server.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EMFILE' || err.code === 'ENFILE') {
        stats.acceptFailures++;
        if (performance.now() - lastAcceptLogMs < 1_000) return;
        lastAcceptLogMs = performance.now();
      }
      process.stderr.write(`push-bench server: ${err.message}\n`);
    });

  const address = servers[0]!.server.address() as AddressInfo;
  const secureAddress = servers[1]?.server.address() as AddressInfo | undefined;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${address.port}`,
    ...(secureAddress ? { secureUrl: `https://${hostInUrl}:${secureAddress.port}` } : {}),
    port: address.port,
    host: address.address,
    options,
    transportEndpoints: endpoints.flatMap(({ endpoint }) => listEndpoints(endpoint)),
    deliverShare: (message) => void publishOwnShare(ctx, JSON.parse(message)),
    close: () =>
      (closing ??= (async () => {
        const stopped = Promise.all(servers.map(({ server }) => new Promise<void>((resolve) => server.close(() => resolve()))));
        await closeTransports();
        for (const socket of stats.trackedSockets()) socket.destroy();
        await stopped;
        for (const { endpoint } of endpoints) endpoint.close?.();
        store.close();
        stats.close();
      })()),
  };
}

/** One listening server: its routes and upgrades, and whether it speaks TLS. */
interface Listener {
  server: Server | Http2SecureServer;
  tls: boolean;
  routes: Map<string, Route>;
  upgrades: Map<string, { channel: Channel; handle: Upgrade }>;
}

type EndpointOf = { channel: Channel; endpoint: Pick<TransportEndpoint, 'routes' | 'upgrade'> };

function transportRoutes(endpoints: readonly EndpointOf[]): Array<[string, Route]> {
  return endpoints.flatMap(({ channel, endpoint }) =>
    endpoint.routes.map((route): [string, Route] => [route.path, { method: route.method, channel, handle: route.handle }]),
  );
}

/** Upgrades by path; the first endpoint to claim a path keeps it. */
function transportUpgrades(endpoints: readonly EndpointOf[]): Map<string, { channel: Channel; handle: Upgrade }> {
  const upgrades = new Map<string, { channel: Channel; handle: Upgrade }>();
  for (const { channel, endpoint } of endpoints) {
    if (endpoint.upgrade && !upgrades.has(endpoint.upgrade.path)) upgrades.set(endpoint.upgrade.path, { channel, handle: endpoint.upgrade.handle });
  }
  return upgrades;
}

function listen(server: Server | Http2SecureServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node's default backlog is 511; ask for the most and let the kernel cap it at somaxconn,
    // so that a fleet's connect ramp is not refused by a short accept queue.
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Plain HTTP/1.1, or TLS with HTTP/2 by ALPN and HTTP/1.1 for clients that do not offer h2 (the
 * compatibility API hands both kinds of request to the same 'request' and 'upgrade' handlers).
 */
function listener(tls: ServerOptions['tls']): Server | Http2SecureServer {
  const timeouts = { keepAliveTimeout: 65_000, headersTimeout: 66_000 };
  if (!tls) return createServer({ noDelay: true, ...timeouts });
  const server = createSecureServer({ allowHTTP1: true, key: tls.key, cert: tls.cert, noDelay: true });
  // The HTTP/1.1 fallback reads these from the server, as an http.Server would.
  return Object.assign(server, timeouts);
}

/** The routes by path; two that claim one path (a transport module's mistake) stop the server from starting, naming both. */
function uniqueRoutes(list: ReadonlyArray<[string, Route]>): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const [path, route] of list) {
    const taken = routes.get(path);
    if (taken) throw new Error(`route ${path} is claimed twice (by ${taken.channel} and ${route.channel}); give each endpoint its own path`);
    routes.set(path, route);
  }
  return routes;
}

/** A transport's routes and upgrade as clients reach them; a route on the upgrade's path only says "upgrade". */
function listEndpoints(endpoint: TransportEndpoint): RunningServer['transportEndpoints'] {
  const { upgrade } = endpoint;
  const pathAndQuery = (path: string, query?: string) => (query ? `${path}?${query}` : path);
  const routes = endpoint.routes
    .filter((route) => route.path !== upgrade?.path)
    .map((route) => ({ method: route.method, upgrade: false, pathAndQuery: pathAndQuery(route.path, route.query) }));
  return upgrade ? [...routes, { method: 'GET', upgrade: true, pathAndQuery: pathAndQuery(upgrade.path, upgrade.query) }] : routes;
}

function fail(res: ServerResponse, err: unknown): void {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) process.stderr.write(`push-bench server: ${(err as Error)?.stack ?? String(err)}\n`);
  sendError(res, httpError);
}

function ignoreError(): void {}

/**
 * GET /clock: the server's monotonic clock (the one publishedAt is stamped with) and its wall
 * clock, read together, so that a client on another machine can estimate its offset to both.
 */
function clockReading(): { monotonicNs: string; wallMs: number } {
  return { monotonicNs: process.hrtime.bigint().toString(), wallMs: performance.timeOrigin + performance.now() };
}
