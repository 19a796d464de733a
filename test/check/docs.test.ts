import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/catalog.js';

/** The rule catalog as the table of docs/targets.md shows it. */
function ruleTable(): string {
  const rows = RULES.map((rule) => `| \`${rule.id}\` | \`${rule.endpoint}\` | ${rule.statement} |`);
  return ['| rule | endpoint | what the server must do |', '|---|---|---|', ...rows].join('\n');
}

describe('docs/targets.md', () => {
  it('lists the rules of push-bench check as the catalog has them', () => {
    const page = readFileSync(new URL('../../docs/targets.md', import.meta.url), 'utf8');
    const start = page.indexOf('| rule | endpoint |');
    expect(start, 'the rule table').toBeGreaterThan(0);
    const end = page.indexOf('\n\n', start);
    expect(page.slice(start, end)).toBe(ruleTable());
  });
});
