/**
 * A real nginx with the nchan module on a loopback port: a push server that is not ours, to
 * measure through its adapter. Started, awaited, measured and stopped by the same launcher as
 * the nginx in front of the reference server; ready only once nchan's publisher accepts a message.
 */
import { constants } from 'node:fs';
import { request } from 'node:http';
import { nchanConfig } from '../conditions/nchan-config.js';
import { findNginx, launchNginx, mayAccess, NginxMissing, type RunningNginx } from './nginx-process.js';

/** How to get nchan where it is missing (Debian and Ubuntu), and nginx with it where that is missing too. */
const NCHAN_INSTALL =
  'install it, e.g. apt-get install -y libnginx-mod-nchan (Debian, Ubuntu), or name the module with PUSH_BENCH_NCHAN_MODULE=/path/to/ngx_nchan_module.so';
const NGINX_AND_NCHAN_INSTALL =
  'install both, e.g. apt-get install -y nginx-light libnginx-mod-nchan (Debian, Ubuntu), or name nginx with PUSH_BENCH_NGINX=/path/to/nginx';
/** Names the module's path instead of searching; for a build of one's own, and for tests. */
const MODULE_ENV = 'PUSH_BENCH_NCHAN_MODULE';
const MODULE_FILE = 'ngx_nchan_module.so';
/** Where distributions put nginx's dynamic modules (Debian: /usr/lib/nginx/modules; some builds: /usr/share). */
const MODULE_DIRS = ['/usr/lib/nginx/modules', '/usr/share/nginx/modules'];
/** The channel the readiness probe publishes to (one message, left there): a name for no run's channel to take. */
const PROBE_CHANNEL = 'push-bench-probe';
const PROBE_TIMEOUT_MS = 5_000;

/** nginx or its nchan module is not on this machine. The command line treats it as bad input: exit 2, with the install command. */
export class NchanMissing extends NginxMissing {
  override readonly name = 'NchanMissing';
  constructor(where: string, howToGet = NCHAN_INSTALL) {
    super(where, `nchan: nginx with the nchan module is not installed (${where}); ${howToGet}`);
  }
}

export interface NchanOptions {
  /** Clients connected at once, for nginx's connection limits; 1,000 by default. */
  clients?: number;
  /** How long nchan holds a long poll with nothing new, ms, whole seconds; 30 s by default. */
  longPollTimeoutMs?: number;
  /** Messages a channel keeps; 1,000 by default, as the reference server. */
  messageBufferLength?: number;
  /** How long a message is kept, ms, whole seconds; 120 s by default, as the reference server. */
  messageTimeoutMs?: number;
  /** The nginx program; else $PUSH_BENCH_NGINX, else PATH and the sbin folders. */
  program?: string;
  /** The module; else $PUSH_BENCH_NCHAN_MODULE, else the distributions' module folders. */
  modulePath?: string;
  /** Listen on exactly this port (push-bench serve-nchan --port): an error when it is taken. */
  port?: number;
  /** Picks the port (a free one on 127.0.0.1 by default); asked again once if the port is taken when nginx binds it. */
  pickPort?: () => Promise<number>;
}

/**
 * nginx with nchan, running: `url` is the base of its layout (POST /pub?id=, GET /sub?id=,
 * GET /long-poll?id=, GET /poll?id=, GET /nchan_status), `pid` the master's, `usage()` master and worker together.
 */
export type NchanProcess = RunningNginx;

/** The nchan module to load, or NchanMissing saying where it looked. */
export function findNchanModule(path: string | undefined = process.env[MODULE_ENV]): string {
  if (path !== undefined && path !== '') {
    if (isReadable(path)) return path;
    throw new NchanMissing(`${path} is not a readable file`);
  }
  const found = MODULE_DIRS.map((dir) => `${dir}/${MODULE_FILE}`).find(isReadable);
  if (found) return found;
  throw new NchanMissing(`no ${MODULE_FILE} in ${MODULE_DIRS.join(' nor in ')}`);
}

const isReadable = (path: string): boolean => mayAccess(path, constants.R_OK);

/** The nginx program, with a missing one reported as a missing nchan server (the install command names both packages). */
function findProgram(program: string | undefined): string {
  try {
    return findNginx(program);
  } catch (error) {
    if (error instanceof NginxMissing) throw new NchanMissing(error.where, NGINX_AND_NCHAN_INSTALL);
    throw error;
  }
}

export async function startNchan(options: NchanOptions = {}): Promise<NchanProcess> {
  const program = findProgram(options.program);
  const modulePath = findNchanModule(options.modulePath);
  return launchNginx({
    program,
    config: (place) =>
      nchanConfig({
        ...place,
        modulePath,
        clients: options.clients ?? 1_000,
        ...(options.longPollTimeoutMs === undefined ? {} : { longPollTimeoutMs: options.longPollTimeoutMs }),
        ...(options.messageBufferLength === undefined ? {} : { messageBufferLength: options.messageBufferLength }),
        ...(options.messageTimeoutMs === undefined ? {} : { messageTimeoutMs: options.messageTimeoutMs }),
      }),
    probe: probePublisher,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.pickPort ? { pickPort: options.pickPort } : {}),
  });
}

/**
 * One message published to the probe channel must be accepted (201, or 202 with no subscriber):
 * a port that merely answers could be nginx without nchan's publisher behind it. node:http with
 * no agent, so no keep-alive connection outlives the probe.
 */
function probePublisher(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/pub?id=${PROBE_CHANNEL}`, { method: 'POST', agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body = (body + chunk).slice(0, 500)));
      res.on('end', () => {
        if (res.statusCode === 201 || res.statusCode === 202) resolve();
        else
          reject(
            new Error(
              `nginx with nchan started, but its publisher refused a message: POST ${url}/pub?id=${PROBE_CHANNEL} answered ${res.statusCode}: ${body.trim()}`,
            ),
          );
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PROBE_TIMEOUT_MS / 1_000}s`)));
    req.on('error', (error) => reject(new Error(`nginx with nchan started, but POST ${url}/pub?id=${PROBE_CHANNEL} failed: ${error.message}`)));
    req.end('probe');
  });
}
