/**
 * The scenario file format (docs/scenarios.md) as one zod schema: the single source of validation,
 * of the defaults and of the published JSON Schema (schema/scenario.schema.json).
 */
import { z } from 'zod';
import { offlineField } from './offline-field.js';
import { chatField } from './chat-field.js';
import { sweepField } from './sweep-field.js';
import { RUN_KEY, TRANSPORTS, type TransportName, type TransportSettings } from '../transports/catalog.js';
import { suggest } from './suggest.js';
import type { AnyTransportModule } from '../transports/module.js';
import { intermediaryField } from '../conditions/intermediary.js';
import { serverField } from './server-field.js';
import { targetField } from '../targets/target-field.js';
import { networkField } from '../conditions/network.js';
import { duration, HOUR_MS as HOUR, oneOf, show, strictMapping, text, unitValue, wholeNumber } from './fields.js';
import { parseThreshold } from './thresholds.js';
import type { ConsumeLimit } from '../transports/consume-gate.js';
import { PERCENT_PATTERN, RATE_PATTERN, SIZE_PATTERN, parseBandwidth, parsePercent, parseRate, parseSize, type ParseResult } from '../units/units.js';

/** Events a second one schedule may hold: a publisher's `events.rate`, or a chat's clients together. */
export const MAX_EVENT_RATE = 100_000;

/** Payloads above this say more about JSON parsing than about transports. */
const MAX_PAYLOAD_BYTES = 1_048_576;

/** `one`, `all`, or a percentage of the clients. */
const AUDIENCE_PATTERN = `^one$|^all$|${PERCENT_PATTERN}`;
function audience() {
  const parse = (value: unknown): ParseResult =>
    value === 'one' || value === 'all'
      ? { ok: true, value: Number.NaN }
      : (() => {
          const parsed = parsePercent(value);
          return parsed.ok ? parsed : { ok: false, message: `${JSON.stringify(value)} is not an audience; write "one", "all" or a percentage such as "10%"` };
        })();
  return z
    .string({ error: (issue) => (parse(issue.input).ok ? undefined : (parse(issue.input) as { message: string }).message) })
    .regex(new RegExp(AUDIENCE_PATTERN), { error: (issue) => (parse(issue.input) as { message: string }).message })
    .transform((value): Audience =>
      value === 'one' || value === 'all' ? { kind: value } : { kind: 'fraction', fraction: (parsePercent(value) as { value: number }).value },
    )
    .meta({ description: 'Who receives each event: "one" client, "all" clients, or a percentage of them ("10%").' });
}

export type Audience = { kind: 'one' } | { kind: 'all' } | { kind: 'fraction'; fraction: number };

/** Bounds of a slow client's consume rate: slower than 1/m says nothing in a run of minutes; faster than the fastest reader is not slow. */
const CONSUME_BOUNDS = {
  events: { min: 1 / 60, max: 100_000, minText: '1/m', maxText: '100000/s' },
  bytes: { min: 1, max: 1_000_000_000, minText: '1B/s', maxText: '1GB/s' },
} as const;

/** `20/s` (events per second) or `64KB/s` (a size rate, any bandwidth unit): how fast a slow client gets through what it reads. */
function consumeRate() {
  const fix = 'write an event rate such as "20/s" or a size rate such as "64KB/s"';
  return z
    .string({ error: (issue) => `${issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)} is not a consume rate; ${fix}` })
    .transform((text, ctx): ConsumeLimit => {
      const events = parseRate(text);
      const bytes = events.ok ? undefined : parseBandwidth(text);
      if (!events.ok && !bytes?.ok) {
        ctx.addIssue({ code: 'custom', input: text, message: `${JSON.stringify(text)} is not a consume rate; ${fix}` });
        return z.NEVER;
      }
      const limit: ConsumeLimit = events.ok ? { unit: 'events', perSecond: events.value } : { unit: 'bytes', perSecond: (bytes as { value: number }).value };
      const bounds = CONSUME_BOUNDS[limit.unit];
      if (limit.perSecond < bounds.min || limit.perSecond > bounds.max) {
        const which = limit.perSecond < bounds.min ? `too slow; use at least ${bounds.minText}` : `too fast; use at most ${bounds.maxText}`;
        ctx.addIssue({ code: 'custom', input: text, message: `${JSON.stringify(text)} is ${which}` });
        return z.NEVER;
      }
      return limit;
    })
    .meta({
      description:
        'How fast the slow clients consume what they read: an event rate ("20/s") or a size rate ("64KB/s", "2Mbit/s"); they read their socket no faster. Default: every client keeps up.',
    });
}

const threshold = (transportNames: readonly string[]) =>
  text('"websocket.latency.p99 < 50ms"').transform((expr, ctx) => {
    const parsed = parseThreshold(expr, transportNames);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', input: expr, message: parsed.message });
      return z.NEVER;
    }
    return parsed.threshold;
  });

/** A transport entry may be left empty (`sse:` or `sse: {}`) to take every default. */
const emptyMeansDefaults = <T extends z.ZodType>(settings: T) => z.preprocess((value) => (value === null ? {} : value), settings).optional();

/**
 * `transports:`: one optional entry per transport of the catalog, parsed by that transport's own
 * settings schema; and, to run a transport again with other settings, `<transport>/<label>`
 * entries (`amqp-consume/p1: { prefetch: 1 }`), parsed by the same schema.
 */
function transportsSchema(catalog: readonly AnyTransportModule[]) {
  const names = catalog.map((module) => module.name);
  const shape: Record<string, z.ZodType> = Object.fromEntries(catalog.map((module) => [module.name, emptyMeansDefaults(module.settings)]));
  const example = `{ ${names[0]}: {}, ${names[names.length - 1]}: {} }`;
  // Built from a list, so TypeScript sees a record; this is the shape the catalog declares.
  const known = shape as { [K in TransportName]: z.ZodOptional<z.ZodType<TransportSettings[K]>> };
  return z
    .looseObject(known, { error: (issue) => (issue.code === 'invalid_type' ? notAMapping(issue.input, example) : undefined) })
    .transform((entries, ctx) => {
      const parsed: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(entries)) {
        if (key in shape) {
          if (entry !== undefined) parsed[key] = entry;
          continue;
        }
        const module = catalog.find((m) => m.name === RUN_KEY.exec(key)?.[1]);
        if (!module) {
          const guess = suggest(key, names);
          // Reported as zod reports an unknown key, so that the problem points at the key, not at its value.
          ctx.addIssue({
            code: 'unrecognized_keys',
            keys: [key],
            input: entries,
            message: `unknown key ${JSON.stringify(key)}${guess ? ` (did you mean "${guess}"?)` : ''}; valid keys here: ${names.join(', ')}, or <transport>/<label> to run one again with other settings, e.g. amqp-consume/p1`,
          });
          continue;
        }
        const settings = module.settings.safeParse(entry === null ? {} : entry);
        if (settings.success) parsed[key] = settings.data;
        else for (const issue of settings.error.issues) ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: issue.message });
      }
      return parsed;
    })
    .optional()
    .meta({
      description: `The transports to run, with their settings; they run one at a time in the order ${names.join(', ')}. Default: those the reference server serves, with their defaults. A key <transport>/<label> (a label of letters, digits, _ and -) runs a transport again with other settings, e.g. amqp-consume/p1: { prefetch: 1 }.`,
    });
}

function notAMapping(input: unknown, example: string): string {
  return input === undefined ? `is required; write e.g. ${example}` : `${show(input)} is not a mapping; write e.g. ${example}`;
}

/** `events:` (the publisher's schedule); absent, its defaults, unless the scenario is a chat. */
export function eventsField() {
  return strictMapping(
    {
      rate: unitValue(parseRate, RATE_PATTERN, { min: 1 / 3_600, max: MAX_EVENT_RATE, minText: '1/h', maxText: '100000/s' })
        .optional()
        .meta({ description: 'Total publish rate. Default 10/s; not allowed with arrival: burst.' }),
      arrival: oneOf(['poisson', 'uniform', 'burst']).default('poisson').meta({
        description: 'poisson: random gaps with the given mean rate; uniform: evenly spaced; burst: burst.size events every burst.every. Default poisson.',
      }),
      burst: strictMapping(
        {
          size: wholeNumber(1, 100_000, '50').meta({ description: 'Events in one burst.' }),
          every: duration({ min: 1, max: HOUR, minText: '1ms', maxText: '1h' }).meta({ description: 'Time between bursts.' }),
        },
        '{ size: 50, every: 5s }',
      )
        .optional()
        .meta({ description: 'Required with arrival: burst.' }),
      payload: unitValue(parseSize, SIZE_PATTERN, { min: 1, max: MAX_PAYLOAD_BYTES, minText: '1B', maxText: '1MiB' })
        .prefault('200B')
        .meta({ description: 'Payload size of each event. Default 200B.' }),
      audience: audience().prefault('one'),
    },
    '{ rate: 50/s, payload: 200B, audience: one }',
  ).meta({
    description: 'What the publisher sends: rate, arrival, payload and audience. Default { rate: 10/s, payload: 200B, audience: one }; not with chat.',
  });
}

/** The scenario schema for the transports of `catalog` (tests pass a copy with a toy transport added). */
export function scenarioSchemaFor(catalog: readonly AnyTransportModule[]) {
  const transportNames = catalog.map((module) => module.name);
  return strictMapping(
    {
      name: text('notifications', /^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64').meta({
        description: 'Name of the scenario; names the results folder.',
      }),
      description: text('"What this scenario shows"').default('').meta({ description: 'What the scenario shows.' }),
      seed: wholeNumber(0, 2 ** 31 - 1, '1')
        .default(1)
        .meta({ description: 'Seed of the publish schedule and client phases: same seed, same schedule. Default 1.' }),
      duration: duration({ min: 1_000, max: HOUR, minText: '1s', maxText: '1h' })
        .prefault('10s')
        .meta({ description: 'Measured phase, per transport. Default 10s.' }),
      warmup: duration({ min: 0, max: 600_000, maxText: '10m' })
        .prefault('2s')
        .meta({ description: 'Phase after connecting whose events are not counted. Default 2s.' }),
      drain: duration({ min: 0, max: 300_000, maxText: '5m' }).optional().meta({
        description:
          'How long to wait after the measured phase for events still in flight; later arrivals are lost. Default: 2s plus the polling interval for short polling.',
      }),
      clients: strictMapping(
        {
          count: wholeNumber(1, 1_000_000, '500').default(100).meta({ description: 'Simulated clients per transport. Default 100.' }),
          rampUp: duration({ min: 0, max: 600_000, maxText: '10m' })
            .prefault('1s')
            .meta({ description: 'Time over which the clients connect, evenly paced. Default 1s.' }),
          offline: offlineField()
            .optional()
            .meta({ description: 'Clients go offline now and then and come back: { every: 60s, for: 10s, how: close }. Default: always online.' }),
          consume: consumeRate().optional(),
          slow: unitValue(parsePercent, PERCENT_PATTERN, { max: 1, maxText: '100%' }).optional().meta({
            description: 'Share of the clients that consume at clients.consume, e.g. "10%" (chosen from the seed). Default 100% when consume is set.',
          }),
        },
        '{ count: 500, rampUp: 2s }',
      ).prefault({}),
      events: eventsField().optional(),
      chat: chatField().optional(),
      network: networkField().optional(),
      intermediary: intermediaryField().optional(),
      target: targetField().optional(),
      server: serverField()
        .optional()
        .meta({ description: 'How the reference server is laid out: processes and backplane. Default: one process up to ~19,900 clients.' }),
      transports: transportsSchema(catalog),
      sweep: sweepField().optional(),
      thresholds: z
        .array(threshold(transportNames), { error: (issue) => `${JSON.stringify(issue.input)} is not a list; write e.g. ["websocket.latency.p99 < 50ms"]` })
        .default([])
        .meta({ description: 'Expressions "<transport>.<figure> <op> <limit>"; a broken one fails the run.' }),
    },
    'name: notifications',
  );
}

export const scenarioSchema = scenarioSchemaFor(TRANSPORTS);

export type ScenarioFile = z.output<typeof scenarioSchema>;

/** The `events:` mapping after parsing. */
export type EventsField = z.output<ReturnType<typeof eventsField>>;
