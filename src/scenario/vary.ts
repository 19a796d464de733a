/**
 * `--vary path=values`: one parameter of a sweep and the values it takes, each written as the
 * user would write it with --set. Values come as a list (`1/m,10/m,1/s`) or a range with a
 * step: `1/s..100/s x10` (each value 10 times the last: log steps) or `100..1000 +300` (linear).
 * Written by hand: a range with units and a step is the tool's own small language, and a
 * grammar library would be more code than this.
 */
import { parseOverride } from './overrides.js';

export interface Vary {
  /** As typed, for messages. */
  raw: string;
  /** The scenario path, dotted, as --set takes it: `events.rate`. */
  path: string;
  /** Each value as --set would take it, in order. */
  values: string[];
}

export type VaryParse = { ok: true; vary: Vary } | { ok: false; message: string };

/** A sweep of more points than this on one axis is a typo, not a plan (every point is a whole run). */
export const MAX_VALUES_PER_AXIS = 50;

const RANGE = /^\s*(\S+?)\s*\.\.\s*(\S+?)\s+([x+])\s*(\S+)\s*$/;
/** A number at the start of a value, and the unit after it: `10/s` → 10, `/s`; `2.5s` → 2.5, `s`. */
const NUMBER_AND_UNIT = /^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(.*)$/i;

export function parseVary(raw: string): VaryParse {
  const example = 'e.g. --vary events.rate=1/m,10/m,1/s or --vary events.rate=1/s..100/s x10 or --vary clients.count=100..1000 +300';
  const equals = raw.indexOf('=');
  const parsedPath = parseOverride(equals < 0 ? raw : `${raw.slice(0, equals)}=x`);
  if (equals < 0 || !parsedPath.ok) return { ok: false, message: `${JSON.stringify(raw)} is not path=values; write ${example}` };
  const path = raw.slice(0, equals);
  const text = raw.slice(equals + 1).trim();
  if (text === '') return { ok: false, message: `${JSON.stringify(raw)} gives ${path} no values; write ${example}` };
  const values = text.includes('..') ? expandRange(text) : { ok: true as const, values: text.split(',').map((v) => v.trim()) };
  if (!values.ok) return { ok: false, message: `${JSON.stringify(raw)}: ${values.message}` };
  if (values.values.some((v) => v === '')) return { ok: false, message: `${JSON.stringify(raw)} has an empty value in its list; write ${example}` };
  const duplicate = values.values.find((v, i) => values.values.indexOf(v) !== i);
  if (duplicate !== undefined) return { ok: false, message: `${JSON.stringify(raw)} lists ${duplicate} twice; each value is one point of the sweep` };
  if (values.values.length > MAX_VALUES_PER_AXIS) {
    return {
      ok: false,
      message: `${JSON.stringify(raw)} makes ${values.values.length} values; at most ${MAX_VALUES_PER_AXIS} per parameter, use a larger step`,
    };
  }
  return { ok: true, vary: { raw, path, values: values.values } };
}

type Expanded = { ok: true; values: string[] } | { ok: false; message: string };

function expandRange(text: string): Expanded {
  const match = RANGE.exec(text);
  if (!match)
    return { ok: false, message: `"${text}" is not a range; write FROM..TO xFACTOR (log steps, e.g. 1/s..100/s x10) or FROM..TO +STEP (e.g. 100..1000 +300)` };
  const [, fromText = '', toText = '', kind = '', stepText = ''] = match;
  const from = NUMBER_AND_UNIT.exec(fromText);
  const to = NUMBER_AND_UNIT.exec(toText);
  if (!from || !to) return { ok: false, message: `the ends of "${text}" must be numbers with the same unit, e.g. 1/s..100/s` };
  const unit = from[2] ?? '';
  if ((to[2] ?? '') !== unit) return { ok: false, message: `"${fromText}" and "${toText}" are in different units; write both ends in one, e.g. 1/m..600/m` };
  const start = Number(from[1]);
  const end = Number(to[1]);
  const step = Number(stepText);
  if (!(end > start)) return { ok: false, message: `"${text}" must go up: FROM (${fromText}) below TO (${toText})` };
  if (kind === 'x' && !(step > 1)) return { ok: false, message: `the factor of "${text}" must be above 1, e.g. x10 or x2` };
  if (kind === '+' && !(step > 0)) return { ok: false, message: `the step of "${text}" must be above 0, e.g. +100` };
  if (kind === 'x' && start === 0) return { ok: false, message: `"${text}" starts at 0, which no factor moves; start above 0` };
  const values: string[] = [];
  // A tolerance for the end: 0.1 x 10 x 10 is 10.000000000000002, and 10 was meant.
  const last = end * (1 + 1e-9);
  for (let i = 0, value = start; value <= last && values.length <= MAX_VALUES_PER_AXIS; i++) {
    values.push(`${tidy(value)}${unit}`);
    value = kind === 'x' ? start * step ** (i + 1) : start + step * (i + 1);
  }
  return { ok: true, values };
}

/** A value as a number and the unit after it: `10/s` → 10 and `/s`; `500` → 500 and ''; null when it does not start with a number. */
export function numberAndUnit(text: string): { number: number; unit: string } | null {
  const match = NUMBER_AND_UNIT.exec(text.trim());
  return match ? { number: Number(match[1]), unit: match[2] ?? '' } : null;
}

/** 0.30000000000000004 → 0.3: twelve significant digits are more than any scenario value needs. */
export function tidy(value: number): string {
  return String(Number(value.toPrecision(12)));
}
