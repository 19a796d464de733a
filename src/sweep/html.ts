/**
 * sweep.html: a sweep on one self-contained page (Chart.js, the data, the style and the script
 * inline; a Content-Security-Policy lets it load nothing), the way report.html is for one run:
 * the crossings and recommendations in words, then per figure a chart over the swept parameter.
 */
import { pageHead, type HtmlAssets } from '../report/html.js';
import { html, inlineScript, jsonForScript } from '../report/html-escape.js';
import { chartFigure } from '../report/html-sections.js';
import type { SweepAnalysis } from './analysis.js';
import { SWEEP_SCRIPT } from './html-client.js';
import { sweepChartData } from './html-data.js';
import { summaryLines } from './markdown.js';
import type { Sweep } from './model.js';

export function serialize(sweep: Sweep, analysis: SweepAnalysis, title: string, assets: HtmlAssets, budgetText?: string): string {
  const data = sweepChartData(sweep, analysis);
  const scripts = [inlineScript(assets.chartJs, 'the Chart.js library'), inlineScript(SWEEP_SCRIPT, 'the sweep script')];
  const { axis } = analysis;
  const sections = analysis.lines.map((line, index) => {
    const charts = data.lines[index]!.charts.map((chart) =>
      chartFigure(
        chart.id,
        chart.title,
        html`Each transport's median at each value of ${axis.path}${sweep.repeat > 1 ? html`, with the range of its ${sweep.repeat} repeats shaded` : html``}; dashed: the model's prediction; ✕: a crossing.${chart.needsRepeats ? html` This figure moves between runs of the same code: crossings need --repeat 3 or more.` : html``}`,
      ),
    );
    const summary = summaryLines(analysis, line, budgetText);
    return html`<section>${line.label ? html`<h2>${line.label}</h2>` : html``}<ul class="sweep-summary">${summary.map((text) => html`<li>${text}</li>`)}</ul><div class="charts">${charts}</div></section>`;
  });
  const page = html`<!doctype html>
<html lang="en">
${pageHead(`push-bench sweep: ${title}`, `${sweep.tool.name} ${sweep.tool.version}`, scripts)}
<body>
<header><h1><span class="tool">push-bench sweep:</span> ${title}</h1><p class="run">${axis.path}: ${axis.labels.join(', ')}${sweep.vary[1] ? html` × ${sweep.vary[1].path}: ${sweep.vary[1].values.join(', ')}` : html``} · ${sweep.points.length} points · ${sweep.repeat} repeat${sweep.repeat === 1 ? '' : 's'} each · ${sweep.tool.name} ${sweep.tool.version} · started ${sweep.startedAt}${sweep.finishedAt ? html`` : html` · INCOMPLETE: points are missing`}</p></header>
<main>
${sections}
</main>
<footer>Written by ${sweep.tool.name} ${sweep.tool.version} from sweep.json. Self-contained: this page loads nothing from the network.</footer>
<script type="application/json" id="push-bench-sweep">${jsonForScript(data)}</script>
${scripts.map((script) => html`<script>${script}</script>\n`)}</body>
</html>
`;
  return page.text;
}
