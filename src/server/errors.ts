/**
 * The error vocabulary of the wire contract (docs/protocol.md, "Errors"). Every refusal the
 * server makes goes through HttpError so that status, code and JSON shape never drift apart.
 */
export type ErrorCode =
  | 'not_found'
  | 'method_not_allowed'
  | 'bad_parameter'
  | 'unknown_client'
  | 'unknown_room'
  | 'not_a_member'
  | 'too_many_clients'
  | 'payload_too_large'
  | 'fan_out_too_large'
  | 'unauthorized'
  | 'cross_origin'
  | 'unsupported_media_type'
  | 'too_many_connections'
  | 'bad_json'
  | 'upgrade_required'
  | 'internal_error';

export interface ErrorBody {
  error: ErrorCode;
  parameter?: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
    /** Extra response headers, e.g. `Allow` for a 405. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return this.parameter === undefined ? { error: this.code, message: this.message } : { error: this.code, parameter: this.parameter, message: this.message };
  }
}

export function badParameter(parameter: string, message: string): HttpError {
  return new HttpError(400, 'bad_parameter', message, parameter);
}

export function notFound(path: string): HttpError {
  return new HttpError(404, 'not_found', `No endpoint at ${path}; see docs/protocol.md for the list.`);
}

export function methodNotAllowed(method: string, path: string, allowed: string): HttpError {
  return new HttpError(405, 'method_not_allowed', `${path} does not accept ${method}; use ${allowed}.`, undefined, {
    Allow: allowed,
  });
}

export function unknownClient(id: string, parameter = 'client'): HttpError {
  return new HttpError(404, 'unknown_client', `Client "${id}" is not registered; register it first with POST /clients {"ids": ["${id}"]}.`, parameter);
}

/** Anything that is not an HttpError is a bug in the server: report it without details. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(500, 'internal_error', 'The server failed to handle this request; see its stderr.');
}
