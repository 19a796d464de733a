import { describe, expect, it } from 'vitest';
import { FORMAT_OF_UNIT, MISSING, formatBytes, formatCount, formatMs, formatPercent, formatRatio, formatSeconds, orMissing } from '../../src/report/format.js';

describe('human formatting', () => {
  it('ms with about 3 significant digits', () => {
    expect([0.0412, 4.237, 42.37, 1234.5, 0].map(formatMs)).toEqual(['0.041', '4.24', '42.4', '1,235', '0.000']);
  });

  it('bytes in decimal SI units', () => {
    expect([0, 999, 1000, 12_345, 1_740_000, 98_304_000, 3.3e9].map(formatBytes)).toEqual([
      '0 B',
      '999 B',
      '1.00 kB',
      '12.3 kB',
      '1.74 MB',
      '98.3 MB',
      '3.30 GB',
    ]);
  });

  it('counts, ratios, percentages', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-1500)).toBe('-1,500');
    expect(formatRatio(1.0527)).toBe('1.05');
    expect(formatRatio(250.4)).toBe('250');
    expect(formatPercent(0.8187)).toBe('81.9 %');
  });

  it('rounds the number held, not its shortest decimal form (why not Intl.NumberFormat)', () => {
    expect(formatRatio(1.005)).toBe('1.00');
    expect(formatMs(2.675)).toBe('2.67');
  });

  it('writes a window in seconds, one decimal', () => {
    expect(formatSeconds(30_000)).toBe('30.0 s');
    expect(FORMAT_OF_UNIT['window-ms'](1_250)).toBe('1.3 s');
  });

  it('shows null and undefined as —', () => {
    expect(orMissing(formatMs)(null)).toBe(MISSING);
    expect(orMissing(formatMs)(undefined)).toBe('—');
  });
});
