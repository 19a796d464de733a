import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureRows } from '../../src/report/figures.js';
import { chartData, type ChartData } from '../../src/report/html-charts.js';
import { serialize, type HtmlAssets } from '../../src/report/html.js';
import type { Result, Warning } from '../../src/report/model.js';
import { exporters, getExporter } from '../../src/report/registry.js';
import { writeResultFiles } from '../../src/io/result-files.js';
import { loadFixture } from './fixture.js';

const stubAssets: HtmlAssets = { chartJs: 'window.Chart = undefined; /* stub */' };
const result = loadFixture();

/** The text between `<tag ...>` and `</tag>` of every element matching the opening tag. */
function elements(page: string, opening: RegExp, tag: string): string[] {
  const found: string[] = [];
  const pattern = new RegExp(`${opening.source}([\\s\\S]*?)</${tag}>`, 'g');
  for (const match of page.matchAll(pattern)) found.push(match[1] ?? '');
  return found;
}

function embeddedData(page: string): ChartData {
  const [json] = elements(page, /<script type="application\/json" id="push-bench-data">/, 'script');
  return JSON.parse(json ?? 'null') as ChartData;
}

function hostile(): Result {
  const attack = '</script><script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
  const copy = structuredClone(result);
  copy.scenario['name'] = attack;
  copy.scenario['description'] = `<!-- ${attack}`;
  // A result file may come from anywhere: its codes are whatever it says, not only ours.
  copy.warnings.push({ code: '<b>code</b>' as Warning['code'], message: attack });
  copy.thresholds.push({ expr: `${attack} < 1ms`, actual: 1, ok: false });
  copy.transports[0]!.transport = `<svg onload=alert(3)>`;
  copy.transports[1]!.warnings.push({ code: 'x' as Warning['code'], message: '</SCRIPT ><script>alert(4)</script>', transport: '<i>' });
  return copy;
}

describe('html exporter: hostile strings', () => {
  const page = serialize(hostile(), stubAssets);

  it('escapes every string from the result: no element, attribute or script comes from data', () => {
    expect(page).not.toMatch(/<img|<svg|<b>|<i>|<script>alert/i);
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;');
    expect(page).toContain('&lt;svg onload=alert(3)&gt;');
  });

  it('has exactly our three script elements (data, Chart.js, report script)', () => {
    expect(page.match(/<script\b/gi)).toHaveLength(3);
    expect(page.match(/<\/script/gi)).toHaveLength(3);
  });

  it('embeds the chart data as JSON with < escaped, and it reads back unchanged', () => {
    const [json] = elements(page, /<script type="application\/json" id="push-bench-data">/, 'script');
    expect(json).not.toMatch(/[<>]/);
    const data = embeddedData(page);
    expect(data).toEqual(chartData(hostile()));
    expect(data.transports[0]).toBe('<svg onload=alert(3)>');
  });

  it('escapes the title', () => {
    const [title] = elements(page, /<title>/, 'title');
    expect(title).not.toContain('<');
  });
});

describe('html exporter: structure', () => {
  const page = serialize(result, stubAssets);

  it('has the figure table of result.md: a row per figure, a column per transport', () => {
    const [table] = elements(page, /<table id="figure-table">/, 'table');
    const rows = elements(table ?? '', /<tr data-figure="[^"]*">/, 'tr');
    const expected = figureRows(result.transports);
    expect(rows).toHaveLength(expected.length);
    for (const [index, row] of rows.entries()) {
      expect(row.match(/<td>/g)).toHaveLength(result.transports.length);
      expect(row).toContain(`>${expected[index]!.label}</th>`);
    }
    const [head] = elements(table ?? '', /<thead>/, 'thead');
    expect(head?.match(/<th scope="col">/g)).toHaveLength(1 + result.transports.length);
    for (const transport of result.transports) expect(head).toContain(transport.transport);
  });

  it('has a canvas per chart and one CDF series per transport', () => {
    for (const id of ['latency-cdf', 'bytes-per-delivery', 'requests-per-delivery']) expect(page).toContain(`<canvas id="${id}"`);
    const data = embeddedData(page);
    expect(data.latencyCdf.map((series) => series.transport)).toEqual(['polling', 'long-polling', 'sse', 'websocket']);
    expect(data.bytesPerDelivery).toHaveLength(4);
  });

  it("says in the caption that an older result's CDF is drawn from stored percentiles only, and draws nothing over time for it", () => {
    expect(page).toMatch(/keeps no histogram \(written by an older version\), so the curve is drawn through its stored min, p50, p90, p99, p99\.9 and max/);
    expect(page).toContain('the shape between them was not measured');
    expect(page).toContain('websocket: no deliveries, no curve');
    expect(page).not.toContain('id="latency-histogram"');
    expect(page).toContain('This result keeps no series for sse');
    expect(embeddedData(page).overTime).toEqual([null, null, null, null]);
  });

  it('shows threshold verdicts, warnings and the model table', () => {
    expect(page).toContain('1 of 2 thresholds broken');
    expect(page.match(/<tr data-ok="false">/g)).toHaveLength(1);
    expect(page).toContain('<code>single-host</code>');
    expect(page).toContain('=HYPERLINK(&quot;http://x&quot;), then &quot;quoted&quot; and a | pipe');
    const [model] = elements(page, /<table id="model-table">/, 'table');
    expect(model).toContain('<td>polling</td><td class="text">mean latency (ms)</td>');
  });

  it('forbids every network load and runs only its own scripts (CSP hashes match)', () => {
    const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '';
    const csp = attribute.replaceAll('&#39;', "'");
    expect(csp).toMatch(/^default-src 'none'; script-src /);
    const scripts = elements(page, /<script>/, 'script');
    expect(scripts).toHaveLength(2);
    for (const script of scripts) expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(page).not.toMatch(/\b(src|href)=/);
  });

  it('says so when no transport has finished', () => {
    const empty = serialize({ ...result, transports: [] }, stubAssets);
    expect(empty).toContain('No transport has finished yet');
    expect(empty).not.toContain('<canvas');
  });

  it('refuses a library it cannot inline safely', () => {
    expect(() => serialize(result, { chartJs: 'var s = "</script>";' })).toThrow(/cannot be inlined/);
  });
});

describe('html in the exporter registry', () => {
  it('is a format with extension html that inlines the installed Chart.js', () => {
    expect(getExporter('html')).toBe(exporters.html);
    const page = exporters.html.serialize(result);
    expect(page).toContain('Chart.js v4');
    expect(page).not.toContain('sourceMappingURL');
  });

  it('is written by writeResultFiles as report.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'push-bench-html-'));
    const { written } = await writeResultFiles(dir, result, ['html']);
    expect(written).toEqual([join(dir, 'result.json'), join(dir, 'report.html')]);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});
