import { FIGURE_CATALOG, type ModelFigure } from '../figures/catalog.js';
import { figurePair, type FigurePair } from '../figures/read.js';
import { figureRows } from './figures.js';
import { FORMAT_OF_UNIT, MISSING, orMissing } from './format.js';
import { allWarnings, oneLine } from './header.js';
import { TRANSPORT_COLOURS } from './html-charts.js';
import { html, type SafeHtml } from './html-escape.js';
import type { Result, ThresholdResult, TransportResult, Warning } from './model.js';

/** The non-chart parts of report.html. Every string from the result goes through `html`. */

/** A chart's frame: its title, an empty canvas the page's script draws on, and a caption. */
export function chartFigure(id: string, title: string, caption: SafeHtml, tall = false): SafeHtml {
  return html`<figure><h3>${title}</h3><div class="chart${tall ? ' tall' : ''}"><canvas id="${id}" role="img" aria-label="${title}"></canvas></div><figcaption>${caption}</figcaption><noscript><p class="empty">The chart needs JavaScript; the table below has every figure.</p></noscript></figure>`;
}

/** A transport's name with its chart colour, so the table reads like the legends. */
function transportHeading(name: string, index: number): SafeHtml {
  return html`<span class="swatch c${index % TRANSPORT_COLOURS.length}"></span>${name}`;
}

function thresholdRow(threshold: ThresholdResult): SafeHtml {
  const verdict = threshold.ok ? html`<span class="verdict ok">ok</span>` : html`<span class="verdict failed">FAILED</span>`;
  const actual = threshold.actual === null ? MISSING : String(Number(threshold.actual.toPrecision(6)));
  return html`<tr data-ok="${String(threshold.ok)}"><td>${verdict}</td><td class="text"><code>${oneLine(threshold.expr)}</code></td><td>${actual}</td></tr>`;
}

export function thresholdsSection(result: Result): SafeHtml {
  const body =
    result.thresholds.length === 0
      ? html`<p class="empty">No thresholds in this scenario.</p>`
      : html`<div class="table-wrap"><table id="threshold-table"><thead><tr><th>verdict</th><th class="text">threshold</th><th>actual (ms, bytes or count)</th></tr></thead><tbody>${result.thresholds.map(thresholdRow)}</tbody></table></div>`;
  return html`<section id="thresholds"><h2>Thresholds</h2>${body}</section>`;
}

function warningItem(warning: Warning): SafeHtml {
  const scope = warning.transport === undefined ? 'run' : warning.transport;
  return html`<li><span class="scope">[${oneLine(scope)}]</span> <code>${oneLine(warning.code)}</code> ${oneLine(warning.message)}</li>`;
}

export function warningsSection(result: Result): SafeHtml {
  const warnings = allWarnings(result);
  const body = warnings.length === 0 ? html`<p class="empty">No warnings.</p>` : html`<ul class="notes" id="warning-list">${warnings.map(warningItem)}</ul>`;
  return html`<section id="warnings"><h2>Warnings</h2>${body}</section>`;
}

/** The catalog's model figures, in catalog order. */
const MODEL_FIGURES: readonly ModelFigure[] = FIGURE_CATALOG.flatMap((figure) => (figure.kind === 'model' ? [figure] : []));

function signed(format: (n: number) => string): (n: number) => string {
  return (n) => (n > 0 ? `+${format(n)}` : format(n));
}

function modelRow(transport: TransportResult, pair: FigurePair, figure: ModelFigure): SafeHtml {
  const format = FORMAT_OF_UNIT[figure.unit];
  const show = orMissing(format);
  const difference = pair.model === null || pair.measured === null ? null : pair.measured - pair.model;
  return html`<tr><td>${transport.transport}</td><td class="text">${figure.label}</td><td>${show(pair.model)}</td><td>${show(pair.measured)}</td><td>${orMissing(signed(format))(difference)}</td></tr>`;
}

function modelRows(transport: TransportResult): SafeHtml[] {
  return MODEL_FIGURES.flatMap((figure) => {
    const pair = figurePair(figure, transport);
    return pair ? [modelRow(transport, pair, figure)] : [];
  });
}

export function modelSection(result: Result): SafeHtml {
  const rows = result.transports.flatMap(modelRows);
  const body =
    rows.length === 0
      ? html`<p class="empty">No transport here has a model (only the pull transports do).</p>`
      : html`<div class="table-wrap"><table id="model-table"><thead><tr><th>transport</th><th class="text">figure</th><th>model</th><th>measured</th><th>measured − model</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  const caption = html`<p class="run">What a simple model of the pull transports predicts (docs/metrics.md), beside what was measured. The latency model counts only the wait for the next poll: measured − model is the transport's own overhead. — means the model has nothing to say.</p>`;
  return html`<section id="model"><h2>Model vs measured</h2>${caption}${body}</section>`;
}

/** The same table as result.md and the terminal: one row per figure, one column per transport. */
export function figuresSection(result: Result): SafeHtml {
  if (result.transports.length === 0) return html`<section id="figures"><h2>All figures</h2><p class="empty">No transport has finished yet.</p></section>`;
  const head = result.transports.map((transport, index) => html`<th scope="col">${transportHeading(transport.transport, index)}</th>`);
  const rows = figureRows(result.transports).map(
    (row) => html`<tr data-figure="${row.id}"><th scope="row">${row.label}</th>${row.cells.map((cell) => html`<td>${cell}</td>`)}</tr>`,
  );
  return html`<section id="figures"><h2>All figures</h2><div class="table-wrap"><table id="figure-table"><thead><tr><th scope="col">figure</th>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}
