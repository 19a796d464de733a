/**
 * Building HTML from untrusted text. Scenario names, warnings and transport names can hold
 * anything (a server or a scenario file wrote them), so markup is built only with the `html`
 * tagged template, which escapes every interpolated string: forgetting to escape is then
 * impossible rather than merely unlikely. Only `SafeHtml` values pass through unchanged.
 */

/** Markup that is already safe to place in a page. */
export class SafeHtml {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** What an `html` template accepts: strings and numbers are escaped, SafeHtml is kept. */
export type HtmlValue = SafeHtml | string | number | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a quoted attribute value: `& < > " '` become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.text;
  if (typeof value === 'number') return escapeHtml(String(value));
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}

/** Tagged template: the literal parts are trusted markup, every interpolation is escaped. */
export function html(literals: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = literals[0] ?? '';
  values.forEach((value, index) => {
    text += render(value) + (literals[index + 1] ?? '');
  });
  return new SafeHtml(text);
}

/**
 * JSON to embed in `<script type="application/json">`: `<`, `>` and `&` become \u escapes
 * (valid inside JSON strings, the only place they can occur), so no text in the data can
 * close the script element or open a comment. U+2028/9 too, for old JS parsers.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeHtml(json);
}

/**
 * Trusted JavaScript source (our own code, a pinned library) for an inline `<script>`.
 * Rather than rewrite code, refuse text that could end the element early or start an HTML
 * comment inside it: it would break the page, and silently editing a library is worse.
 */
export function inlineScript(source: string, what: string): SafeHtml {
  if (/<\/script|<!--/i.test(source)) throw new Error(`${what} contains "</script" or "<!--" and cannot be inlined in report.html`);
  return new SafeHtml(source);
}
