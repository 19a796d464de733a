/** The flags of a bench script (after `npm run bench:x --`), read by node:util.parseArgs. */
import { parseArgs } from 'node:util';
import type { Audience } from '../../src/scenario/scenario.js';
import { isTransportName, TRANSPORT_NAMES, type TransportName } from '../../src/transports/catalog.js';

/** Each flag takes a value; its default is written as it would be typed. */
export type FlagSpec = Record<string, { default: string; help: string }>;

/** A flag that parses but says something impossible (e.g. `--rate -1`): exit 2, as for an unknown flag. */
export class BadFlag extends Error {}

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): { [K in keyof S]: string } {
  const options = Object.fromEntries(Object.entries(spec).map(([name, flag]) => [name, { type: 'string' as const, default: flag.default }]));
  try {
    const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    return values as { [K in keyof S]: string };
  } catch (error) {
    // parseArgs says what is wrong (unknown option, missing value, stray argument); BadFlag adds the list.
    throw new BadFlag((error as Error).message);
  }
}

export function usage(spec: FlagSpec): string {
  const width = Math.max(...Object.keys(spec).map((name) => name.length));
  return Object.entries(spec)
    .map(([name, flag]) => `  --${name.padEnd(width)}  ${flag.help} (default ${flag.default})`)
    .join('\n');
}

export function numberList(text: string, flag: string): number[] {
  const values = text.split(',').map((v) => Number(v.trim().replace(/_/g, '')));
  if (values.some((v) => !Number.isInteger(v) || v < 1)) throw new BadFlag(`--${flag} ${JSON.stringify(text)}: give whole numbers, e.g. 1000,10000`);
  return values;
}

export function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new BadFlag(`--${flag} ${JSON.stringify(text)}: give a positive number`);
  return value;
}

export function nonNegativeNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!(value >= 0)) throw new BadFlag(`--${flag} ${JSON.stringify(text)}: give a number, 0 or more`);
  return value;
}

/** `--transports a,b`: names of the transport catalog; an unknown one lists the valid ones. */
export function transportList(text: string): TransportName[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isTransportName(name));
  if (unknown.length > 0) throw new BadFlag(`--transports: unknown ${unknown.join(', ')}; use ${TRANSPORT_NAMES.join(', ')}`);
  return names as TransportName[];
}

/** `all`, or a share of the clients such as `10%`: who receives each broadcast. */
export function audienceOf(text: string): Audience {
  if (text === 'all') return { kind: 'all' };
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const fraction = percent ? Number(percent[1]) / 100 : NaN;
  if (!(fraction > 0 && fraction <= 1)) throw new BadFlag(`--audience ${JSON.stringify(text)}: give all, or a percentage such as 10%`);
  return fraction === 1 ? { kind: 'all' } : { kind: 'fraction', fraction };
}

/** How a bench title says who receives each broadcast. */
export function audienceText(audience: Audience): string {
  return audience.kind === 'fraction' ? `${+(audience.fraction * 100).toFixed(2)}% of the clients` : 'every client';
}
