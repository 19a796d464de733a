import { describe, expect, it } from 'vitest';
import { formatDuration, formatRate, parseBandwidth, parseDuration, parsePercent, parseRate, parseSize } from '../../src/units/units.js';

const value = (result: { ok: boolean; value?: number }) => (result.ok ? result.value : undefined);

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2_000],
    ['1.5s', 1_500],
    ['1m', 60_000],
    ['1h', 3_600_000],
    ['0s', 0],
    [' 2 s ', 2_000],
    ['0.001s', 1],
  ])('%s is %d ms', (text, ms) => expect(value(parseDuration(text))).toBe(ms));

  it.each([['2'], ['2 sec'], ['-1s'], ['1e3ms'], ['s'], [''], ['2S'], ['1d'], ['.5s']])('%j is refused', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('write e.g. "500ms"');
  });

  it('asks for a unit when given a bare number', () => {
    const result = parseDuration(30);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toBe('30 is not a duration (a unit is required); write e.g. "500ms", "2s", "1m" or "1h"');
  });
});

describe('sizes', () => {
  it.each([
    ['200B', 200],
    ['4KB', 4_000],
    ['4KiB', 4_096],
    ['1MB', 1_000_000],
    ['1MiB', 1_048_576],
    ['1.5KB', 1_500],
  ])('%s is %d bytes', (text, bytes) => expect(value(parseSize(text))).toBe(bytes));

  it.each([['200'], ['4kb'], ['4 K'], ['1TB'], ['-5B']])('%j is refused', (text) => expect(parseSize(text).ok).toBe(false));
});

describe('rates', () => {
  it.each([
    ['50/s', 50],
    ['300/m', 5],
    ['36/h', 0.01],
    ['50 / s', 50],
    ['1/10s', 0.1],
    ['3/5m', 0.01],
    ['1 / 2.5 s', 0.4],
  ])('%s is %d per second', (text, perSecond) => expect(value(parseRate(text))).toBeCloseTo(perSecond, 9));

  it.each([['50'], ['50/sec'], ['50 per s'], ['/s'], ['1/0s'], ['1/s10']])('%j is refused', (text) => expect(parseRate(text).ok).toBe(false));
});

describe('percentages', () => {
  it.each([
    ['10%', 0.1],
    ['100%', 1],
    ['0.5%', 0.005],
  ])('%s is %d', (text, fraction) => expect(value(parsePercent(text))).toBeCloseTo(fraction, 12));
  it('refuses a fraction without %', () => expect(parsePercent('0.1').ok).toBe(false));
});

describe('formatting', () => {
  it.each([
    [500, '500ms'],
    [1_500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1.5m'],
    [7_200_000, '2h'],
  ])('%d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
  it.each([
    [50, '50/s'],
    [0.05, '3/m'],
    [0.001, '3.6/h'],
  ])('%d/s reads %s', (rate, text) => expect(formatRate(rate)).toBe(text));
});

describe('bandwidths', () => {
  it.each([
    ['2Mbit/s', 250_000],
    ['500kbit/s', 62_500],
    ['1Gbit/s', 125_000_000],
    ['8bit/s', 1],
    ['1MB/s', 1_000_000],
    ['64 KB/s', 64_000],
    ['10B/s', 10],
  ])('%s is %d bytes/s', (text, bytesPerSecond) => expect(value(parseBandwidth(text))).toBe(bytesPerSecond));

  it.each([['fast'], ['2Mbps'], ['2 mbit/s'], [2_000_000], ['-1Mbit/s']])('%j is refused, saying how to write one', (text) => {
    const parsed = parseBandwidth(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/is not a bandwidth.*write e\.g\. "2Mbit\/s", "500kbit\/s" or "1MB\/s"/);
  });
});
