import type { IncomingMessage, ServerResponse } from 'node:http';
import { badParameter, HttpError, unknownClient } from './errors.js';
import { describeValue, readJson, sendJson } from './http-utils.js';
import type { ServerContext } from './context.js';
import { CLIENT_ID_PATTERN, type Client, type EventSpec } from './store.js';
import { syntheticPayloadJson } from './wire.js';

const NANOSECONDS = /^\d{1,20}$/;

/** POST /clients {"ids": [...]} → {"registered": total}. */
export async function handleRegister(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, ctx.options.maxBodyBytes);
  const ids = isObject(body) ? body.ids : undefined;
  if (!Array.isArray(ids)) throw badParameter('ids', 'Body must be {"ids": ["c1", "c2", ...]}.');
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !CLIENT_ID_PATTERN.test(id)) {
      throw badParameter('ids', `ids[${i}] ${describeValue(id)} is not a valid client id; use 1 to 64 characters from [A-Za-z0-9_.-].`);
    }
  });
  const registered = ctx.store.register(ids as string[]);
  sendJson(res, 200, { registered });
}

/**
 * POST /publish: one spec or an array. The whole request is validated before anything is
 * published, so a bad spec never leaves half a batch behind.
 */
export async function handlePublish(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, ctx.options.maxBodyBytes);
  const batch = Array.isArray(body);
  const raw = batch ? body : [body];
  if (raw.length === 0) throw badParameter('body', 'Publish at least one event: send a spec object or a non-empty array of them.');
  const specs = raw.map((spec, i) => parseSpec(ctx, spec, batch ? `[${i}].` : ''));
  checkFanOut(ctx, specs);
  const published = ctx.store.publish(specs);
  sendJson(res, 200, batch ? published : published[0]);
}

/** Refuses a batch whose fan-out (events appended to client logs) passes maxFanOutPerRequest. */
function checkFanOut(ctx: ServerContext, specs: readonly EventSpec[]): void {
  const limit = ctx.options.maxFanOutPerRequest;
  if (specs.length < 2) return;
  let appends = 0;
  for (const spec of specs) appends += spec.to === 'all' ? ctx.store.clientCount : spec.to.length;
  if (appends <= limit) return;
  throw new HttpError(
    413,
    'fan_out_too_large',
    `This batch of ${specs.length} events would append ${appends} events to client logs (recipients × events, "all" = ${ctx.store.clientCount} registered clients); ` +
      `the server's maxFanOutPerRequest is ${limit}. Send fewer events per request.`,
    'body',
  );
}

function parseSpec(ctx: ServerContext, spec: unknown, where: string): EventSpec {
  if (!isObject(spec)) {
    throw badParameter(where ? where.slice(0, -1) : 'body', `Event spec ${where}must be an object like {"to": "all", "payloadBytes": 200}.`);
  }
  for (const key of Object.keys(spec)) {
    if (!['to', 'intended', 'payloadBytes', 'payload'].includes(key)) {
      throw badParameter(where + key, `Unknown field ${where}${key}; an event spec has to, intended, payloadBytes or payload.`);
    }
  }
  return {
    to: parseRecipients(ctx, spec.to, where + 'to'),
    intendedNs: parseIntended(spec.intended, where + 'intended'),
    payloadJson: parsePayload(ctx, spec, where),
  };
}

function parseRecipients(ctx: ServerContext, to: unknown, name: string): 'all' | Client[] {
  if (to === 'all') return 'all';
  if (!Array.isArray(to)) throw badParameter(name, `${name} must be "all" or an array of client ids.`);
  return to.map((id, i) => {
    if (typeof id !== 'string' || !CLIENT_ID_PATTERN.test(id)) {
      throw badParameter(name, `${name}[${i}] ${describeValue(id)} is not a valid client id.`);
    }
    const client = ctx.store.get(id);
    if (client) return client;
    if (ctx.options.autoRegister) return ctx.store.resolve(id, true, name);
    throw unknownClient(id, name);
  });
}

function parseIntended(intended: unknown, name: string): string {
  // Optional so that curl users need not know the server's clock: then "now".
  if (intended === undefined) return process.hrtime.bigint().toString();
  if (typeof intended !== 'string' || !NANOSECONDS.test(intended)) {
    throw badParameter(name, `${name} must be process.hrtime.bigint() nanoseconds as a decimal string (a JSON number would lose precision).`);
  }
  return intended;
}

function parsePayload(ctx: ServerContext, spec: Record<string, unknown>, where: string): string {
  const max = ctx.options.maxPayloadBytes;
  if (spec.payload !== undefined && spec.payloadBytes !== undefined) {
    throw badParameter(where + 'payload', `Give either ${where}payload or ${where}payloadBytes, not both.`);
  }
  if (spec.payload !== undefined) {
    if (typeof spec.payload !== 'string') throw badParameter(where + 'payload', `${where}payload must be a string.`);
    if (Buffer.byteLength(spec.payload) > max) throw tooLargePayload(where + 'payload', max);
    return JSON.stringify(spec.payload);
  }
  const bytes = spec.payloadBytes ?? 0;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0) {
    throw badParameter(where + 'payloadBytes', `${where}payloadBytes must be a non-negative integer.`);
  }
  if (bytes > max) throw tooLargePayload(where + 'payloadBytes', max);
  return syntheticPayloadJson(bytes);
}

function tooLargePayload(parameter: string, max: number): HttpError {
  return new HttpError(413, 'payload_too_large', `${parameter} is larger than the server's maxPayloadBytes (${max}).`, parameter);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A publish batch from the backplane (a sharded run): every server process gets every event and
 * appends it for the recipients it holds; the others belong to other processes. Validated as
 * POST /publish validates (a malformed batch throws and appends nothing).
 */
export function publishOwnShare(ctx: ServerContext, body: unknown): number {
  if (!Array.isArray(body)) throw badParameter('body', 'A backplane message must be an array of event specs, as POST /publish takes.');
  const specs = body.map((raw: unknown, i) => {
    const own = isObject(raw) && Array.isArray(raw.to) ? { ...raw, to: raw.to.filter((id) => typeof id !== 'string' || ctx.store.get(id) !== undefined) } : raw;
    return parseSpec(ctx, own, `[${i}].`);
  });
  const mine = specs.filter((spec) => spec.to === 'all' || spec.to.length > 0);
  return ctx.store.publish(mine).length;
}
