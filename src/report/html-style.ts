import { TRANSPORT_COLOURS } from './html-charts.js';

/** Swatch colours as classes (`c0`…), so the page needs no inline style attributes. */
const swatchRules = TRANSPORT_COLOURS.map((colour, index) => `.swatch.c${index} { background: ${colour}; }`).join('\n');

/** The stylesheet of report.html: plain, printable, readable on a laptop and a phone. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #dde1e8; --panel: #f6f7f9; --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 26px; margin: 0 0 4px; }
h1 .tool { color: var(--muted); font-weight: 500; }
h2 { font-size: 19px; margin: 32px 0 10px; }
p { margin: 6px 0; }
.description { font-size: 16px; }
.run { color: var(--muted); font-size: 13px; }
.verdicts { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 8px; }
.pill { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; border: 1px solid currentColor; }
.pill.ok { color: var(--ok); }
.pill.failed { color: var(--bad); }
.pill.warn { color: var(--warn); }
.pill.neutral { color: var(--muted); }
.notes { margin: 0; padding-left: 20px; }
.notes li { margin: 3px 0; }
.verdict { font-weight: 700; font-size: 12px; letter-spacing: .04em; }
.verdict.ok { color: var(--ok); }
.verdict.failed { color: var(--bad); }
.scope { font-weight: 600; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; background: var(--panel); padding: 1px 4px; border-radius: 3px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 20px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 10px; background: #fff; }
figure h3 { font-size: 15px; margin: 0 0 8px; }
.chart { position: relative; height: 320px; }
.chart.tall { height: 400px; }
h3.transport-heading { font-size: 17px; margin: 26px 0 10px; }
.failure-totals { margin-top: 8px; max-width: 320px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 8px; }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th:first-child, td:first-child, th.text, td.text { text-align: left; white-space: normal; }
tbody th { font-weight: 400; }
thead th { background: var(--panel); position: sticky; top: 0; }
tbody tr:hover { background: #fafbfc; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.table-wrap { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; padding-top: 24px; padding-bottom: 32px; }
${swatchRules}
@media (max-width: 560px) { .charts { grid-template-columns: 1fr; } header, main, footer { padding: 0 12px; } }
@media print { .chart { height: 260px; } figure { break-inside: avoid; } }
`;
