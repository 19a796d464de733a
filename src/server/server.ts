import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { TRANSPORTS } from '../transports/catalog.js';
import type { AnyTransportModule, TransportEndpoint } from '../transports/module.js';
import type { ServerContext } from './context.js';
import { methodNotAllowed, notFound, toHttpError } from './errors.js';
import { parseRequestUrl, rejectUpgrade, sendError, sendJson } from './http-utils.js';
import { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.js';
import { handlePublish, handleRegister } from './publish.js';
import { ChatRooms, handleRooms, handleSend } from './chat.js';
import { guardControl } from './control-guard.js';
import { ConnectionShedder } from './shed.js';
import { ServerStats, type Channel } from './stats.js';
import { EventStore } from './store.js';

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash); `https://` when the server speaks TLS. */
  url: string;
  port: number;
  host: string;
  /** The options in force, defaults filled in (record them with a run's results). */
  options: ServerOptions;
  /** Each transport's endpoints as a client reaches them; `upgrade`: a WebSocket (ws://) endpoint. */
  transportEndpoints: Array<{ method: 'GET' | 'POST'; upgrade: boolean; pathAndQuery: string }>;
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
 * its endpoint (tests pass a copy of the catalog with a toy transport added).
 */
export async function startReferenceServer(input: ServerOptionsInput = {}, catalog: readonly AnyTransportModule[] = TRANSPORTS): Promise<RunningServer> {
  const options = resolveServerOptions(input, catalog);
  const stats: ServerStats = new ServerStats(
    catalog.map((module) => module.name),
    () => ({ registered: store.clientCount, listening: store.listeningCount }),
  );
  const store = new EventStore(options.retention, options.maxClients, stats);
  const rooms = new ChatRooms();
  const ctx: ServerContext = { options, store, stats, rooms };
  const endpoints = catalog.map((module) => {
    const channel = module.name as Channel;
    const endpoint = module.server.endpoint({
      server: ctx,
      options: (options.transports as Record<string, unknown>)[module.name],
      counters: stats.channels[channel],
    });
    return { channel, endpoint };
  });

  const closeTransports = async (): Promise<void> => {
    await Promise.all(endpoints.map(({ endpoint }) => Promise.resolve(endpoint.closeAll())));
  };

  const transportRoutes = endpoints.flatMap(({ channel, endpoint }) =>
    endpoint.routes.map((route): [string, Route] => [route.path, { method: route.method, channel, handle: route.handle }]),
  );
  const upgrades = new Map<string, { channel: Channel; handle: Upgrade }>(
    endpoints.flatMap(({ channel, endpoint }) => (endpoint.upgrade ? [[endpoint.upgrade.path, { channel, handle: endpoint.upgrade.handle }] as const] : [])),
  );
  const routeList: Array<[string, Route]> = [
    ...transportRoutes,
    ['/publish', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handlePublish(ctx, req, res) }],
    ['/clients', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handleRegister(ctx, req, res) }],
    ['/rooms', { method: 'POST', channel: 'control', guarded: true, handle: (req, res) => handleRooms(ctx, rooms, req, res) }],
    ['/send', { method: 'POST', channel: 'chat', handle: (req, res, query) => handleSend(ctx, rooms, req, res, query) }],
    ['/health', { method: 'GET', channel: 'control', handle: (_req, res) => sendJson(res, 200, { ok: true }) }],
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
  const routes = uniqueRoutes(routeList);

  const server = listener(options.tls);
  const shedder = new ConnectionShedder(stats);
  // Every TCP socket, to cut them at close: an HTTP/2 server has no closeAllConnections.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (options.maxConnections !== null && stats.openSockets >= options.maxConnections)
      return shedder.shed(socket, options.maxConnections, options.tls !== null);
    stats.trackSocket(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (options.tls) {
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
    res.once('close', () => stats.settleSocket(req.socket));
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
    socket.on('error', () => undefined);
    const { path, query } = parseRequestUrl(req.url);
    const upgrade = upgrades.get(path);
    const channel = upgrade?.channel ?? 'control';
    stats.assignSocket(req.socket, channel);
    stats.channels[channel].requests++;
    if (!upgrade) return rejectUpgrade(socket, notFound(path));
    if (req.method !== 'GET') return rejectUpgrade(socket, methodNotAllowed(req.method ?? '?', path, 'GET'));
    upgrade.handle(req, socket, head, query);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node's default backlog is 511; ask for the most and let the kernel cap it at somaxconn,
    // so that a fleet's connect ramp is not refused by a short accept queue.
    server.listen({ port: options.port, host: options.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors after listen must not crash the process. Out of file descriptors, accept fails: the
  // connection is shed (libuv accepts and closes it on a reserved descriptor), the ones already
  // open keep being served, and /stats counts it; the log says so once per second at most.
  let lastAcceptLogMs = -Infinity;
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EMFILE' || err.code === 'ENFILE') {
      stats.acceptFailures++;
      if (performance.now() - lastAcceptLogMs < 1_000) return;
      lastAcceptLogMs = performance.now();
    }
    process.stderr.write(`push-bench server: ${err.message}\n`);
  });

  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostInUrl}:${address.port}`,
    port: address.port,
    host: address.address,
    options,
    transportEndpoints: endpoints.flatMap(({ endpoint }) => listEndpoints(endpoint)),
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeTransports();
        for (const socket of sockets) socket.destroy();
        await stopped;
        for (const { endpoint } of endpoints) endpoint.close?.();
        store.close();
        stats.close();
      })()),
  };
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
