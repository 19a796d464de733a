import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WarningSchema } from '../../src/report/model.js';
import { WARNING_CODES } from '../../src/report/warning-codes.js';

/** [code, meaning] of each row of the table under "## Warnings" in docs/metrics.md. */
function documentedCodes(): [string, string][] {
  const page = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('## Warnings'), page.indexOf('\n## ', page.indexOf('## Warnings') + 1));
  return [...section.matchAll(/^\| `([^`]+)` \| [^|]+ \| (.+) \|$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']);
}

describe('warning codes', () => {
  it('are all in docs/metrics.md, in the same order and with the same meaning', () => {
    expect(documentedCodes()).toEqual(Object.entries(WARNING_CODES).map(([code, { meaning }]) => [code, meaning]));
  });

  it('are kebab-case', () => {
    for (const code of Object.keys(WARNING_CODES)) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it('read back from a result.json even when this build does not know them', () => {
    expect(WarningSchema.parse({ code: 'from-a-newer-version', message: 'x' }).code).toBe('from-a-newer-version');
    expect(WarningSchema.safeParse({ code: '', message: 'x' }).success).toBe(false);
  });
});
