import { createHash } from 'node:crypto';
import { chartData, type ChartData } from './html-charts.js';
import { REPORT_SCRIPT } from './html-client.js';
import { html, inlineScript, jsonForScript, SafeHtml } from './html-escape.js';
import { chartFigure, figuresSection, modelSection, thresholdsSection, warningsSection } from './html-sections.js';
import { overTimeSection } from './html-over-time.js';
import { REPORT_CSS } from './html-style.js';
import { allWarnings, runLine, scenarioName, workloadNote } from './header.js';
import type { Result } from './model.js';

/**
 * report.html: one self-contained page (charts, verdicts, warnings, the figure table) that
 * opens from a file with no network: Chart.js, the data, the style and our script are all
 * inline, and a Content-Security-Policy forbids the page to load or send anything.
 *
 * `serialize(result, assets)` stays pure by taking the chart library's source as an
 * argument instead of reading it: tests can pass a stub, and the one read of node_modules
 * lives in html-assets.ts, bound by the exporter registry.
 */

/** What the page inlines besides our own code. */
export interface HtmlAssets {
  /** Source of Chart.js 4's UMD build (defines the global `Chart`). */
  chartJs: string;
}

/** `'sha256-…'` of an inline element's text, for the CSP: only these exact scripts may run. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The page's policy: only these exact inline scripts and style; nothing from the network. */
function contentSecurityPolicy(scripts: readonly SafeHtml[], style: string): string {
  const scriptSources = scripts.map((script) => cspHash(script.text)).join(' ');
  return `default-src 'none'; script-src ${scriptSources}; style-src ${cspHash(style)}; img-src data:; base-uri 'none'; form-action 'none'`;
}

/** The <head> of a self-contained page: its policy (only these scripts and the style), title and style. */
export function pageHead(title: string, generator: string, scripts: readonly SafeHtml[]): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts, REPORT_CSS)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${generator}">
<title>${title}</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>`;
}

function verdictPills(result: Result): SafeHtml {
  const broken = result.thresholds.filter((threshold) => !threshold.ok).length;
  const total = result.thresholds.length;
  const warnings = allWarnings(result).length;
  const thresholds =
    total === 0
      ? html`<span class="pill neutral">no thresholds</span>`
      : broken === 0
        ? html`<span class="pill ok">all ${total} thresholds held</span>`
        : html`<span class="pill failed">${broken} of ${total} thresholds broken</span>`;
  const warningPill =
    warnings === 0 ? html`<span class="pill neutral">no warnings</span>` : html`<span class="pill warn">${warnings} warning${warnings === 1 ? '' : 's'}</span>`;
  const transports = html`<span class="pill neutral">${result.transports.length} transport${result.transports.length === 1 ? '' : 's'}</span>`;
  return html`<div class="verdicts" id="verdicts">${transports}${thresholds}${warningPill}</div>`;
}

function pageHeader(result: Result): SafeHtml {
  const note = workloadNote(result);
  const description = result.scenario['description'];
  const descriptionLine = typeof description === 'string' && description.length > 0 ? html`<p class="description">${description}</p>` : html``;
  return html`<header><h1><span class="tool">push-bench:</span> <span id="scenario-name">${scenarioName(result)}</span></h1>${descriptionLine}<p class="run">${runLine(result)}</p>${note ? html`<p class="run">${note}</p>` : html``}${verdictPills(result)}</header>`;
}

function latencySection(data: ChartData): SafeHtml {
  const notes = data.latencyCdf.flatMap((series) => (series.note === null ? [] : [html`<br>${series.note}.`]));
  const fromPercentiles = data.latencyCdf.filter((series) => series.source === 'percentiles' && series.points.length > 0).map((series) => series.transport);
  const exact = data.latencyCdf.some((series) => series.source === 'histogram');
  const how = exact
    ? html`Each curve runs through every bucket of the measured window's stored HDR histogram (values within 0.1 %, steps closer than 0.5 % merged): the real distribution.`
    : html``;
  const older =
    fromPercentiles.length > 0
      ? html` ${fromPercentiles.join(', ')}: this result keeps no histogram (written by an older version), so the curve is drawn through its stored min, p50, p90, p99, p99.9 and max, joined by straight lines — the shape between them was not measured.`
      : html``;
  const caption = html`Share of deliveries that arrived within a given latency (event seen by the client − its intended publish time), measured window only. ${how}${older}${notes}`;
  const title = exact ? 'Latency distribution (CDF from the stored histogram)' : 'Latency distribution (CDF from stored percentiles)';
  const histogram = exact
    ? chartFigure(
        'latency-histogram',
        'Latency histogram',
        html`Share of each transport's deliveries per latency bin (10 bins per decade, log scale), from the stored histogram of the measured window. A mode far right of the rest is a tail worth a look.`,
        true,
      )
    : html``;
  return html`<section id="latency"><h2>Delivery latency</h2>${chartFigure('latency-cdf', title, caption, true)}${histogram}</section>`;
}

function costSection(): SafeHtml {
  const bytes = chartFigure(
    'bytes-per-delivery',
    'Bytes per delivered event',
    html`Wire bytes, both directions, headers and framing included, in the measured window ÷ events delivered.`,
  );
  const requests = chartFigure(
    'requests-per-delivery',
    'Requests per delivered event',
    html`HTTP requests (polls, long-polls, SSE connects, WebSocket handshakes) in the measured window ÷ events delivered.`,
  );
  return html`<section id="cost"><h2>Cost per delivered event</h2><div class="charts">${bytes}${requests}</div></section>`;
}

function chartsOrNote(result: Result, data: ChartData): SafeHtml {
  if (result.transports.length === 0) return html`<section id="latency"><h2>Delivery latency</h2><p class="empty">No transport has finished yet.</p></section>`;
  return html`${latencySection(data)}${overTimeSection(data)}${costSection()}`;
}

export function serialize(result: Result, assets: HtmlAssets): string {
  const data = chartData(result);
  const scripts = [inlineScript(assets.chartJs, 'the Chart.js library'), inlineScript(REPORT_SCRIPT, 'the report script')];
  const title = `push-bench: ${scenarioName(result)}`;
  const page = html`<!doctype html>
<html lang="en">
${pageHead(title, `${result.tool.name} ${result.tool.version}`, scripts)}
<body>
${pageHeader(result)}
<main>
${thresholdsSection(result)}
${warningsSection(result)}
${chartsOrNote(result, data)}
${modelSection(result)}
${figuresSection(result)}
</main>
<footer>Written by ${result.tool.name} ${result.tool.version} from result.json (schema version ${result.schemaVersion}). Self-contained: this page loads nothing from the network.</footer>
<script type="application/json" id="push-bench-data">${jsonForScript(data)}</script>
${scripts.map((script) => html`<script>${script}</script>\n`)}</body>
</html>
`;
  return page.text;
}
