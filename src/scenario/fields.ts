/**
 * Building blocks of the scenario schema. Each one carries its own error messages, because a
 * message must name the value found and what would be valid, which zod's defaults do not.
 */
import { z } from 'zod';
import { suggest } from './suggest.js';
import { DURATION_PATTERN, formatDuration, parseDuration, type ParseResult } from '../units/units.js';

/** One hour in ms: the upper bound of most durations. */
export const HOUR_MS = 3_600_000;

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  return JSON.stringify(value);
}

/** A mapping that rejects unknown keys, suggesting the key that was probably meant. */
export function strictMapping<Shape extends z.ZodRawShape>(shape: Shape, example: string) {
  const valid = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        // zod reports all unknown keys of a mapping as one issue; one line per key lets
        // problems.ts give each key its own line:col.
        return issue.keys.map((key) => `unknown key ${JSON.stringify(key)}${didYouMean(key, valid)}; valid keys here: ${valid.join(', ')}`).join('\n');
      }
      if (issue.code === 'invalid_type') {
        return issue.input === undefined ? `is required; write e.g. ${example}` : `${show(issue.input)} is not a mapping; write e.g. ${example}`;
      }
      return undefined;
    },
  });
}

function didYouMean(key: string, valid: readonly string[]): string {
  const guess = suggest(key, valid);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

/** A string in one of the scenario's units, parsed to a number in the base unit. */
export function unitValue(
  parse: (value: unknown) => ParseResult,
  pattern: string,
  bounds: { min?: number; max?: number; minText?: string; maxText?: string } = {},
) {
  const message = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : (parse(issue.input) as { message?: string }).message);
  return z
    .string({ error: message })
    .regex(new RegExp(pattern), { error: message })
    .transform((text, ctx) => {
      const parsed = parse(text);
      const value = parsed.ok ? parsed.value : Number.NaN;
      if (bounds.min !== undefined && value < bounds.min) {
        ctx.addIssue({ code: 'custom', input: text, message: `${show(text)} is too small; use at least ${bounds.minText ?? bounds.min}` });
      } else if (bounds.max !== undefined && value > bounds.max) {
        ctx.addIssue({ code: 'custom', input: text, message: `${show(text)} is too large; use at most ${bounds.maxText ?? bounds.max}` });
      }
      return value;
    });
}

/** A whole number within bounds (declared with int/min/max so the JSON Schema shows them too). */
export function wholeNumber(min: number, max: number, example: string) {
  const message = (issue: { input?: unknown }) =>
    typeof issue.input !== 'number'
      ? `${show(issue.input)} is not a number; write e.g. ${example}`
      : Number.isInteger(issue.input)
        ? `${issue.input} is out of range; use a whole number from ${min} to ${max}`
        : `${issue.input} is not a whole number; write e.g. ${example}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** One of a fixed set of words. */
export function oneOf<const Options extends readonly [string, ...string[]]>(options: Options) {
  return z.enum(options, {
    error: (issue) => `${show(issue.input)} is not valid here; use one of ${options.join(', ')}`,
  });
}

export function flag(example: string) {
  return z.boolean({ error: (issue) => `${show(issue.input)} is not true or false; write e.g. ${example}` });
}

export function text(example: string, pattern?: RegExp, rule?: string) {
  const base = z.string({
    error: (issue) => (issue.input === undefined ? `is required; write e.g. ${example}` : `${show(issue.input)} is not text; write e.g. ${example}`),
  });
  return pattern ? base.regex(pattern, { error: (issue) => `${show(issue.input)} is not valid: ${rule}; write e.g. ${example}` }) : base;
}

/** A duration written with its unit ("500ms", "2s"), in ms. */
export function duration(bounds: Parameters<typeof unitValue>[2]) {
  return unitValue(parseDuration, DURATION_PATTERN, bounds);
}

/** `off`, or a duration of at least `minMs`: how often to send keep-alive heartbeats; null when off. */
export function heartbeat(minMs: number) {
  const parse = (value: unknown): ParseResult => {
    if (value === 'off') return { ok: true, value: 0 };
    const parsed = parseDuration(value);
    return parsed.ok ? parsed : { ok: false, message: parsed.message.replace('write e.g.', 'write "off" or e.g.') };
  };
  const pattern = `^off$|${DURATION_PATTERN}`;
  return unitValue(parse, pattern, { max: HOUR_MS, maxText: '1h' })
    .transform((ms, ctx) => {
      if (ms === 0) return null;
      if (ms < minMs) {
        ctx.addIssue({
          code: 'custom',
          input: ms,
          message: `${formatDuration(ms)} is too short for a heartbeat; use at least ${formatDuration(minMs)}, or "off"`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ description: `Heartbeat period (at least ${formatDuration(minMs)}), or "off" (default).` });
}
