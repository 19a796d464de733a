/**
 * Human formatting of figures for the terminal and markdown. Pure and locale-free, so a
 * report reads the same on every machine and snapshot tests are stable.
 *
 * Bytes use decimal SI units (1 kB = 1000 B, 1 MB = 1000 kB), as k6 and autocannon print
 * them and as network rates are quoted; the labels are B, kB, MB, GB.
 *
 * Digits come from `Number.prototype.toFixed`, not `Intl.NumberFormat` or pretty-bytes: Intl
 * rounds the shortest decimal form of a number (1.005 → "1.01") where toFixed rounds the
 * binary value it holds (→ "1.00"), and so changed 0.4 % of 2.4 million sampled cells; pretty-bytes
 * drops trailing zeros ("1.7 MB" for "1.70 MB"). Reports must not change with a refactoring.
 */
import type { Unit } from '../figures/catalog.js';

/** Shown for a value that is null (not measured) or absent (does not apply). */
export const MISSING = '—';

type Formatter = (value: number) => string;

/** Lifts a number formatter to one that shows `MISSING` for null/undefined. */
export function orMissing(format: Formatter): (value: number | null | undefined) => string {
  return (value) => (value === null || value === undefined ? MISSING : format(value));
}

/** Groups thousands with commas: 1234567 → "1,234,567" (integer part only). */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fixed(value: number, decimals: number): string {
  const [whole = '0', fraction] = Math.abs(value).toFixed(decimals).split('.');
  const sign = value < 0 && Number(Math.abs(value).toFixed(decimals)) !== 0 ? '-' : '';
  return sign + groupThousands(whole) + (fraction === undefined ? '' : `.${fraction}`);
}

/** An integer count: "12,345". */
export const formatCount: Formatter = (value) => fixed(value, 0);

/**
 * Milliseconds with about 3 significant digits, never more than µs resolution:
 * 0.0412 → "0.041", 4.237 → "4.24", 42.37 → "42.4", 1234.5 → "1,235".
 */
export const formatMs: Formatter = (value) => {
  const size = Math.abs(value);
  if (size < 1) return fixed(value, 3);
  if (size < 10) return fixed(value, 2);
  if (size < 100) return fixed(value, 1);
  return fixed(value, 0);
};

/** A plain ratio or per-event figure with 2 decimals under 100: "1.37", "0.04", "250". */
export const formatRatio: Formatter = (value) => (Math.abs(value) < 100 ? fixed(value, 2) : fixed(value, 0));

/** A 0..1 fraction as a percentage with one decimal: 0.9312 → "93.1 %". */
export const formatPercent: Formatter = (value) => `${fixed(value * 100, 1)} %`;

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes in decimal SI units with 3 significant digits: 999 → "999 B", 12345 → "12.3 kB". */
export const formatBytes: Formatter = (value) => {
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 999.5 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1000;
    unit++;
  }
  const digits = unit === 0 ? fixed(scaled, 0) : formatSignificant(scaled);
  return `${digits} ${BYTE_UNITS[unit]}`;
};

function formatSignificant(value: number): string {
  const size = Math.abs(value);
  if (size < 10) return fixed(value, 2);
  if (size < 100) return fixed(value, 1);
  return fixed(value, 0);
}

/** A window length held in ms, in seconds with one decimal and no grouping: 30000 → "30.0 s". */
export const formatSeconds: Formatter = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** How the tables write a value of each unit of the figure catalog. */
export const FORMAT_OF_UNIT: Readonly<Record<Unit, Formatter>> = {
  ms: formatMs,
  'cpu-ms': formatCount,
  'window-ms': formatSeconds,
  bytes: formatBytes,
  count: formatCount,
  ratio: formatRatio,
  fraction: formatPercent,
};
