import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/compare/compare.js';
import { serialize as toMarkdown } from '../../src/compare/markdown.js';
import { serialize as toTable } from '../../src/compare/table.js';
import { headline } from '../../src/compare/summary.js';
import { comparePair, loadResult } from './fixtures.js';

/** Cells of a markdown table line, honouring escaped pipes. */
const cellCount = (line: string) => line.split(/(?<!\\)\|/).length - 2;

describe('headline', () => {
  it.each([
    ['baseline', 'worse', '2 regressions; 1 needs --repeat to judge'],
    ['baseline', 'better', '2 improvements'],
    ['worse', 'baseline', '2 improvements; 1 needs --repeat to judge'],
    ['baseline', 'baseline', 'No regressions or improvements'],
    ['repeats-baseline', 'repeats-current', '2 regressions'],
  ])('%s → %s: %s', (baseline, current, expected) => {
    expect(headline(comparePair(baseline, current))).toBe(expected);
  });

  it('counts both kinds', () => {
    const mixed = loadResult('worse');
    mixed.transports.find((t) => t.transport === 'polling')!.latencyMs.mean = 500;
    const comparison = compareResults({ name: 'a', result: loadResult('baseline') }, { name: 'b', result: mixed }, { tolerance: 0.1 });
    expect(headline(comparison)).toBe('2 regressions, 1 improvement; 1 needs --repeat to judge');
  });
});

describe('markdown for a pull request', () => {
  it('worse pair', async () => {
    await expect(toMarkdown(comparePair('baseline', 'worse'))).toMatchFileSnapshot('./__snapshots__/worse.md');
  });

  it('repeats pair, with p-values', async () => {
    await expect(toMarkdown(comparePair('repeats-baseline', 'repeats-current'))).toMatchFileSnapshot('./__snapshots__/repeats.md');
  });

  it('starts with the headline, shows changes first and folds the rest', () => {
    const text = toMarkdown(comparePair('baseline', 'worse'));
    expect(text.split('\n')[0]).toBe('## push-bench compare: notifications — 2 regressions; 1 needs --repeat to judge');
    const [open, folded = ''] = text.split('<details>');
    expect(open).toContain('| polling | latency p50 (ms) | 1,001 | 1,252 | +250 (+25.0 %) | 🔴 worse |');
    expect(open).toContain('| long-polling | events lost | 2 | 10 | +8 (+400.0 %) | 🔴 worse |');
    expect(open).not.toContain('unchanged');
    expect(folded).toMatch(/^\n<summary>\d+ figures within noise, without a direction, or needing --repeat<\/summary>\n\n\|/);
    expect(folded.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('puts regressions before improvements', () => {
    const mixed = loadResult('worse');
    mixed.transports.find((t) => t.transport === 'polling')!.bytes.down = 1_000_000;
    const text = toMarkdown(compareResults({ name: 'a', result: loadResult('baseline') }, { name: 'b', result: mixed }, { tolerance: 0.1 }));
    expect(text.indexOf('🔴')).toBeLessThan(text.indexOf('🟢'));
    expect(text.lastIndexOf('🔴')).toBeLessThan(text.indexOf('🟢'));
  });

  it('lists transports one side lacks, and notes', () => {
    const text = toMarkdown(comparePair('baseline', 'missing-transport'));
    expect(text).toContain('- Transports only in baseline: websocket.\n- Transports only in current: http-streaming.');
    expect(toMarkdown(comparePair('repeats-baseline', 'baseline'))).toContain('- Only the baseline has repeats (5)');
  });

  it('has no changed table when nothing changed', () => {
    const text = toMarkdown(comparePair('baseline', 'baseline'));
    expect(text.split('<details>')[0]).not.toContain('| transport |');
  });

  it('keeps every table row whole, whatever a transport is called', () => {
    const odd = loadResult('worse');
    const renamed = (name: string) => name.replace('polling', 'poll|ing\nx');
    for (const result of [odd]) for (const t of result.transports) t.transport = renamed(t.transport);
    const base = loadResult('baseline');
    for (const t of base.transports) t.transport = renamed(t.transport);
    const text = toMarkdown(compareResults({ name: 'a|b', result: base }, { name: 'c', result: odd }, { tolerance: 0.1 }));
    const rows = text.split('\n').filter((line) => line.startsWith('|'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(cellCount(row)).toBe(6);
    expect(text).toContain('| poll\\|ing x |');
  });
});

describe('terminal table', () => {
  it('worse pair', async () => {
    await expect(toTable(comparePair('baseline', 'worse'))).toMatchFileSnapshot('./__snapshots__/worse.table.txt');
  });

  it('ends with the headline and how changes were decided', () => {
    const lines = toTable(comparePair('repeats-baseline', 'repeats-current')).trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      "2 regressions. A change counts when it exceeds ±10.0 % and is significant (Welch's t-test, two-sided, α = 0.05 Holm-corrected over the figures tested, 5 vs 5 repeats).",
    );
    expect(lines.some((line) => /│\s+p\s+│\s+p \(Holm\)\s+│$/.test(line))).toBe(true);
  });

  it('names each transport once', () => {
    const text = toTable(comparePair('baseline', 'worse'));
    expect(text.match(/│ polling /g)).toHaveLength(1);
  });
});
