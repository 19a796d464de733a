/** A result whose run did not finish says so wherever it is shown. */
import { describe, expect, it } from 'vitest';
import { serialize as toHtml } from '../../src/report/html.js';
import { serialize as toMarkdown } from '../../src/report/markdown.js';
import { serialize as toTable } from '../../src/report/table.js';
import { loadFixture } from './fixture.js';

describe('an incomplete result', () => {
  const finished = loadFixture();
  const incomplete = loadFixture();
  delete incomplete.finishedAt;

  it.each([
    ['terminal table', toTable],
    ['markdown', toMarkdown],
    ['html', (result: Parameters<typeof toHtml>[0]) => toHtml(result, { chartJs: '' })],
  ] as const)('%s: labelled INCOMPLETE, a finished one not', (_, render) => {
    expect(render(incomplete)).toContain('INCOMPLETE: the run did not finish');
    expect(render(finished)).not.toContain('INCOMPLETE');
  });

  it('has "(incomplete)" in the title of the table and the markdown', () => {
    expect(toTable(incomplete).split('\n')[0]).toBe('notifications (incomplete)');
    expect(toMarkdown(incomplete)).toContain('# push-bench: notifications (incomplete)');
  });
});
