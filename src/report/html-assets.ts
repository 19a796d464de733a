import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlAssets } from './html.js';

/**
 * Reads what report.html inlines from the installed chart.js package (a dependency, so it
 * is there wherever push-bench is). chart.js does not export its UMD file, so we resolve
 * the package's main entry and take the UMD build from the same dist folder.
 */
function loadHtmlAssets(): HtmlAssets {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const source = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8');
  return { chartJs: withoutSourceMap(source) };
}

/** The map file is not inlined, so a pointer to it would only make devtools ask for it. */
function withoutSourceMap(source: string): string {
  return source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

let cached: HtmlAssets | undefined;

/** The assets, read once per process (only when an HTML report is asked for). */
export function htmlAssets(): HtmlAssets {
  cached ??= loadHtmlAssets();
  return cached;
}
