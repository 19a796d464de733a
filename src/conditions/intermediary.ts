/**
 * The scenario's `intermediary` key: what stands between the clients and the server besides the
 * link. An idle timeout, which the shaping proxy enforces as a load balancer does, or a real
 * nginx reverse proxy with its production defaults, started for the run.
 */
import { z } from 'zod';
import { duration, strictMapping } from '../scenario/fields.js';

/** nginx's own default for proxy_read_timeout. */
const NGINX_READ_TIMEOUT_MS = 60_000;

export type Intermediary =
  | {
      kind: 'idle-timeout';
      /** A connection with no byte in either direction for this long is cut, ms. */
      idleTimeoutMs: number;
    }
  | {
      kind: 'nginx';
      /** nginx's proxy_read_timeout: a proxied response the server is silent on this long is cut, ms. */
      readTimeoutMs: number;
    };

/** One mapping with one of two keys (so that an error inside either is located at its key), or the word `nginx`. */
const intermediaryMapping = strictMapping(
  {
    idleTimeout: duration({ min: 100, max: 3_600_000, minText: '100ms', maxText: '1h' })
      .optional()
      .meta({ description: 'Cut a connection that carried no byte either way for this long, as load balancers do (AWS ALB: 60s by default).' }),
    nginx: z
      .preprocess(
        (value) => (value === null ? {} : value),
        strictMapping(
          {
            readTimeout: duration({ min: 1_000, max: 3_600_000, minText: '1s', maxText: '1h' })
              .optional()
              .meta({ description: "nginx's proxy_read_timeout. Default 60s, nginx's own." }),
          },
          '{ readTimeout: 60s }',
        ),
      )
      .optional()
      .meta({ description: 'A real nginx in front of the server, with its defaults; readTimeout sets its proxy_read_timeout.' }),
  },
  'nginx, { nginx: { readTimeout: 60s } } or { idleTimeout: 60s }',
);

export function intermediaryField() {
  return z
    .preprocess((value) => (value === 'nginx' ? { nginx: {} } : value), intermediaryMapping)
    .transform((file, ctx): Intermediary => {
      if (file.nginx && file.idleTimeout === undefined) return { kind: 'nginx', readTimeoutMs: file.nginx.readTimeout ?? NGINX_READ_TIMEOUT_MS };
      if (!file.nginx && file.idleTimeout !== undefined) return { kind: 'idle-timeout', idleTimeoutMs: file.idleTimeout };
      ctx.addIssue({
        code: 'custom',
        input: file,
        message: file.nginx
          ? 'name one intermediary: nginx or idleTimeout, not both (nginx has its own idle timeout, readTimeout)'
          : 'names no intermediary; write nginx, { nginx: { readTimeout: 60s } } or { idleTimeout: 60s }',
      });
      return z.NEVER;
    })
    .meta({
      description:
        'What stands between clients and server: nginx (a real nginx reverse proxy with its defaults; { nginx: { readTimeout: 60s } } sets its proxy_read_timeout), or { idleTimeout: 60s } (the shaping proxy cuts connections idle that long; both sides get a FIN).',
    });
}
