import type { ChartData } from './html-charts.js';
import { html, type SafeHtml } from './html-escape.js';
import type { TimeCharts } from './html-series.js';
import { chartFigure } from './html-sections.js';

/** report.html's "Over time" section: per transport, its phase second by second, and its failures. */

const SHADING = html`Shaded: connect and warm-up (left), drain and disconnect (right); the measured window is unshaded.`;

function failuresPanel(charts: TimeCharts, index: number): SafeHtml {
  if (charts.failures.length === 0) {
    return html`<figure><h3>Failures</h3><p class="empty" id="ts-failures-${String(index)}-none">No client failures in this phase.</p></figure>`;
  }
  const rows = charts.failures.map((failure) => html`<tr><td class="text">${failure.kind}</td><td>${String(failure.total)}</td></tr>`);
  const totals = html`<div class="table-wrap"><table class="failure-totals"><thead><tr><th class="text">kind</th><th>whole phase</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return html`<div>${chartFigure(
    `ts-failures-${String(index)}`,
    'Failures per second',
    html`Client failures by kind (connect, request, protocol, disconnect), each in the second it happened, over the whole phase. ${SHADING}`,
  )}${totals}</div>`;
}

function transportOverTime(charts: TimeCharts | null, name: string, index: number): SafeHtml {
  if (charts === null) {
    return html`<h3>${name}</h3><p class="empty">This result keeps no series for ${name} (written by an older version): nothing to draw over time.</p>`;
  }
  const id = (what: string) => `ts-${what}-${String(index)}`;
  const source = charts.source === null ? html`` : html` <span class="run">(${charts.source})</span>`;
  const latency = chartFigure(
    id('latency'),
    'Latency per second (p50, p99)',
    html`Of the deliveries that arrived in each second: latency from the event's intended publish time, p50 and p99 of that second's own HDR histogram (merged over the client processes). A gap: nothing arrived. ${SHADING}`,
  );
  const deliveries = chartFigure(
    id('deliveries'),
    'Deliveries per second',
    html`Unique deliveries that arrived in each second, warm-up and drain included; only the events intended inside the measured window count in the figures.`,
  );
  const connected = chartFigure(id('connected'), 'Connected clients', html`Clients up at the end of each second (connected, not dropped since). ${SHADING}`);
  const server = chartFigure(
    id('server'),
    'Server CPU and memory',
    html`The server's CPU time per second (% of one core, left axis) and its resident memory (MiB, right axis), read from its /stats once a second. ${SHADING}`,
  );
  const loops = chartFigure(
    id('elu'),
    'Event-loop utilisation',
    html`Share of each second the event loop was busy: the server's, and the busiest client process's. A client process near 100 % is the bottleneck: the latencies of those seconds describe the generator, not the transport. ${SHADING}`,
  );
  return html`<h3 class="transport-heading">${name}${source}</h3><div class="charts">${latency}${deliveries}${connected}${server}${loops}${failuresPanel(charts, index)}</div>`;
}

export function overTimeSection(data: ChartData): SafeHtml {
  const blocks = data.overTime.map((charts, index) => transportOverTime(charts, data.transports[index] ?? '', index));
  const intro = html`<p class="run">Each transport's phase second by second, from its first connect to its last disconnect; seconds count from the start of the clients' ramp.</p>`;
  return html`<section id="over-time"><h2>Over time</h2>${intro}${blocks}</section>`;
}
