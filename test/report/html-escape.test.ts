import { describe, expect, it } from 'vitest';
import { SafeHtml, escapeHtml, html, inlineScript, jsonForScript } from '../../src/report/html-escape.js';

describe('html escaping', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('escapes every interpolation of the html template, keeps SafeHtml and flattens lists', () => {
    const name = '<script>alert(1)</script>';
    const list = [html`<li>${name}</li>`, html`<li>${2}</li>`];
    expect(html`<p title="${name}">${name}</p><ul>${list}</ul>`.text).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p><ul><li>&lt;script&gt;alert(1)&lt;/script&gt;</li><li>2</li></ul>',
    );
    expect(html`${new SafeHtml('<b>kept</b>')}`.text).toBe('<b>kept</b>');
  });

  it('writes JSON that cannot end a script element and parses back the same', () => {
    const value = { text: '</script><!-- & \u2028 >' };
    const json = jsonForScript(value).text;
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('refuses script text that would end the element or open a comment', () => {
    expect(() => inlineScript('a = "</SCRIPT>"', 'x')).toThrow(/cannot be inlined/);
    expect(() => inlineScript('a = "<!--"', 'x')).toThrow(/cannot be inlined/);
    expect(inlineScript('a < b', 'x').text).toBe('a < b');
  });
});
