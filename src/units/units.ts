/**
 * Units as people write them in scenario files: durations (`500ms`, `2s`, `1.5m`, `1h`),
 * sizes (`200B`, `4KB`, `1MiB`), rates (`50/s`, `300/m`, `10/h`) and percentages (`10%`).
 *
 * Hand-written rather than taken from a library (e.g. `ms`, `bytes`): those accept bare
 * numbers and loose spellings silently (`ms("5")` is 5 ms, `bytes("1k")` is 1024), while a
 * benchmark must refuse an ambiguous value and say what to write instead.
 */

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;

/** Milliseconds per duration unit. */
const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Bytes per size unit. KB and MB are decimal (SI); KiB and MiB are binary. */
const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
  KiB: 1_024,
  MiB: 1_048_576,
  GiB: 1_073_741_824,
};

/** Events per second for each rate unit. */
const RATE_UNITS: Readonly<Record<string, number>> = { s: 1, m: 1 / 60, h: 1 / 3_600 };

/**
 * Bytes per second for each bandwidth unit. Links are sold in bits (kbit/s, Mbit/s: decimal, as
 * network people mean them); transfer rates are often written in bytes (KB/s, MB/s: decimal).
 */
const BANDWIDTH_UNITS: Readonly<Record<string, number>> = {
  'bit/s': 1 / 8,
  'kbit/s': 1_000 / 8,
  'Mbit/s': 1_000_000 / 8,
  'Gbit/s': 1_000_000_000 / 8,
  'B/s': 1,
  'KB/s': 1_000,
  'MB/s': 1_000_000,
  'GB/s': 1_000_000_000,
};

export const DURATION_PATTERN = `^${NUMBER}\\s*(ms|s|m|h)$`;
export const BANDWIDTH_PATTERN = `^${NUMBER}\\s*(bit/s|kbit/s|Mbit/s|Gbit/s|B/s|KB/s|MB/s|GB/s)$`;
export const SIZE_PATTERN = `^${NUMBER}\\s*(B|KB|MB|GB|KiB|MiB|GiB)$`;
/** `50/s`, or per a span of several units: `1/10s` (one every ten seconds). */
export const RATE_PATTERN = `^${NUMBER}\\s*/\\s*(?:(\\d+(?:\\.\\d+)?)\\s*)?(s|m|h)$`;
export const PERCENT_PATTERN = `^${NUMBER}\\s*(%)$`;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function parseWithUnits(value: unknown, pattern: string, units: Readonly<Record<string, number>>, notA: string, fix: string): ParseResult {
  if (typeof value !== 'string') {
    const hint = typeof value === 'number' ? ' (a unit is required)' : '';
    return { ok: false, message: `${describe(value)} is not ${notA}${hint}; ${fix}` };
  }
  const match = new RegExp(pattern).exec(value.trim());
  const unit = match?.[2];
  if (!match || unit === undefined) return { ok: false, message: `${describe(value)} is not ${notA}; ${fix}` };
  return { ok: true, value: Number(match[1]) * (units[unit] ?? Number.NaN) };
}

/** A duration in milliseconds, e.g. `"2s"` → 2000. */
export function parseDuration(value: unknown): ParseResult {
  return parseWithUnits(value, DURATION_PATTERN, DURATION_UNITS, 'a duration', 'write e.g. "500ms", "2s", "1m" or "1h"');
}

/** A size in bytes, e.g. `"4KB"` → 4000, `"4KiB"` → 4096. */
export function parseSize(value: unknown): ParseResult {
  return parseWithUnits(value, SIZE_PATTERN, SIZE_UNITS, 'a size', 'write e.g. "200B", "4KB" or "1MiB"');
}

/** A rate in events per second, e.g. `"300/m"` → 5, `"1/10s"` → 0.1. */
export function parseRate(value: unknown): ParseResult {
  const fix = 'write e.g. "50/s", "300/m", "10/h" or "1/10s"';
  if (typeof value !== 'string') return parseWithUnits(value, RATE_PATTERN, RATE_UNITS, 'a rate', fix);
  const match = new RegExp(RATE_PATTERN).exec(value.trim());
  const [, count, span = '1', unit] = match ?? [];
  if (count === undefined || unit === undefined || Number(span) === 0) return { ok: false, message: `${describe(value)} is not a rate; ${fix}` };
  return { ok: true, value: (Number(count) / Number(span)) * (RATE_UNITS[unit] ?? Number.NaN) };
}

/** A percentage as a fraction, e.g. `"10%"` → 0.1. */
/** A bandwidth ("2Mbit/s", "500kbit/s", "1MB/s") → bytes per second. */
export function parseBandwidth(value: unknown): ParseResult {
  return parseWithUnits(value, BANDWIDTH_PATTERN, BANDWIDTH_UNITS, 'a bandwidth', 'write e.g. "2Mbit/s", "500kbit/s" or "1MB/s"');
}

export function parsePercent(value: unknown): ParseResult {
  return parseWithUnits(value, PERCENT_PATTERN, { '%': 0.01 }, 'a percentage', 'write e.g. "10%"');
}

/** Formats milliseconds the way they would be written in a scenario (`1500` → `1.5s`). */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 60_000 === 0) return `${trim(ms / 3_600_000)}h`;
  if (ms >= 60_000 && ms % 1_000 === 0) return `${trim(ms / 60_000)}m`;
  if (ms >= 1_000) return `${trim(ms / 1_000)}s`;
  return `${trim(ms)}ms`;
}

/** Formats a rate in events per second (`0.5` → `0.5/s`, `0.01` → `36/h`). */
export function formatRate(perSecond: number): string {
  if (perSecond >= 0.1) return `${trim(perSecond)}/s`;
  if (perSecond * 60 >= 1) return `${trim(perSecond * 60)}/m`;
  return `${trim(perSecond * 3_600)}/h`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(3)));
}
