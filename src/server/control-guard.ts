/**
 * Who may call the control endpoints (POST /publish, /clients, /reset, /stats/reset): a web page
 * the user happens to open must not reset or flood a local server, and a server reachable from
 * other machines can ask for a token.
 *
 * - Browsers send `Origin` on every cross-origin POST: one that is not the server's own origin
 *   is refused (403), whatever else the request says.
 * - Only `application/json` is accepted (415): a page can send a form or text/plain to another
 *   origin without asking, but not JSON (that needs a CORS preflight, which this server never
 *   grants).
 * - With a token set, `Authorization: Bearer <token>` is required (401).
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

export function guardControl(req: IncomingMessage, token: string | null): void {
  if (token !== null && !hasToken(req.headers.authorization, token)) {
    throw new HttpError(
      401,
      'unauthorized',
      'This server requires a token on control endpoints: send "Authorization: Bearer <token>" (the token given to push-bench serve --token or PUSH_BENCH_TOKEN).',
      undefined,
      {
        'WWW-Authenticate': 'Bearer',
      },
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    throw new HttpError(
      403,
      'cross_origin',
      `Control requests from another origin (${origin.slice(0, 100)}) are refused: a web page must not drive this server.`,
    );
  }
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Control requests must be sent with "Content-Type: application/json" (got ${mediaType ? JSON.stringify(mediaType.slice(0, 60)) : 'none'}); with curl add -H 'content-type: application/json'.`,
    );
  }
}

function hasToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
