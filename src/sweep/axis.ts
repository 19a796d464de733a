/**
 * A swept parameter's values as numbers on one axis, for charts and crossings: a rate in events
 * per second, a duration in ms, a size in bytes, a bandwidth in bytes per second, a share, or a
 * plain number. Values that are not numbers (a mode, a transport setting's word) make a
 * categorical axis: charted in order, without crossings between them.
 */
import { parseBandwidth, parseDuration, parsePercent, parseRate, parseSize, type ParseResult } from '../units/units.js';

export interface Axis {
  /** The parameter, e.g. "events.rate". */
  path: string;
  /** The values as written. */
  labels: string[];
  /** Each value as a number in `unit`; null when the values are not all numbers of one kind. */
  numbers: number[] | null;
  /** What the numbers are in, e.g. "events/s"; '' for a plain number. */
  unit: string;
  /** Log when the numbers are positive and span a factor of 10 or more (a sweep over decades). */
  scale: 'log' | 'linear';
}

const KINDS: ReadonlyArray<{ unit: string; parse: (value: string) => ParseResult }> = [
  { unit: '', parse: (value) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim()) ? { ok: true, value: Number(value) } : { ok: false, message: '' }) },
  { unit: 'events/s', parse: parseRate },
  { unit: 'ms', parse: parseDuration },
  { unit: 'bytes', parse: parseSize },
  { unit: 'bytes/s', parse: parseBandwidth },
  { unit: 'fraction', parse: parsePercent },
];

export function axisOf(path: string, labels: readonly string[]): Axis {
  for (const kind of KINDS) {
    const parsed = labels.map(kind.parse);
    if (!parsed.every((p) => p.ok)) continue;
    const numbers = parsed.map((p) => (p.ok ? p.value : Number.NaN));
    const positive = numbers.every((n) => n > 0);
    const span = positive ? Math.max(...numbers) / Math.min(...numbers) : 0;
    return { path, labels: [...labels], numbers, unit: kind.unit, scale: positive && span >= 10 ? 'log' : 'linear' };
  }
  return { path, labels: [...labels], numbers: null, unit: '', scale: 'linear' };
}
