/**
 * The figures a bench prints, from push-bench's or the baseline's run, and the tables.
 *
 * @typedef {{ clients: number, expected: number, delivered: number, durationMs: number,
 *   latencyMs: { p50: number|null, p99: number|null }, connectMs?: { p50: number|null, p99: number|null },
 *   server: { cpuMs: number|null, rssPeakBytes: number|null, idleRssBytes: number, elu: number|null },
 *   client: { cpuMs: number|null, elu: number|null, processes: number }, warnings?: string[] }} RunFigures
 */

export function deliveredPerSecond(run) {
  return (run.delivered * 1_000) / run.durationMs;
}

/** Server memory per held connection: peak RSS in the window above an idle server's RSS. */
export function rssPerConnection(run) {
  if (run.server.rssPeakBytes === null || run.clients === 0) return null;
  return Math.max(0, run.server.rssPeakBytes - run.server.idleRssBytes) / run.clients;
}

/** CPU time over the window as a share of one core, %. */
export function cpuPercent(cpuMs, durationMs) {
  return cpuMs === null ? null : (cpuMs / durationMs) * 100;
}

export function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

const fmt = {
  int: (v) => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US')),
  ms: (v) => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1)),
  kb: (v) => (v === null || v === undefined ? '—' : (v / 1_000).toFixed(1)),
  pct: (v) => (v === null || v === undefined ? '—' : `${v.toFixed(0)}%`),
  x: (v) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}x`),
};

/** A row of the scale table. */
export function scaleRow(label, run) {
  return [
    label,
    `${fmt.int(run.clients)}`,
    fmt.int(run.expected - run.delivered),
    fmt.int(deliveredPerSecond(run)),
    fmt.ms(run.latencyMs.p50),
    fmt.ms(run.latencyMs.p99),
    fmt.ms(run.connectMs?.p99 ?? null),
    fmt.kb(rssPerConnection(run)),
    fmt.pct(cpuPercent(run.server.cpuMs, run.durationMs)),
    fmt.pct(cpuPercent(run.client.cpuMs, run.durationMs)),
    fmt.pct(run.client.elu === null ? null : run.client.elu * 100),
  ];
}

export const SCALE_HEADER = ['run', 'clients held', 'lost', 'delivered/s', 'p50 ms', 'p99 ms', 'connect p99 ms', 'server kB/conn', 'server CPU', 'client CPU', 'client ELU max'];

export function ratioRow(label, pushBench, baseline, latencyRange) {
  const range = latencyRange ? ` (${latencyRange[0].toFixed(2)}–${latencyRange[1].toFixed(2)})` : '';
  return [
    label,
    fmt.x(ratio(pushBench.latencyMs.p50, baseline.latencyMs.p50)) + range,
    fmt.x(ratio(deliveredPerSecond(pushBench), deliveredPerSecond(baseline))),
    fmt.x(ratio(rssPerConnection(pushBench), rssPerConnection(baseline))),
  ];
}

export const RATIO_HEADER = ['push-bench ÷ baseline', 'latency p50', 'delivered/s', 'server memory/conn'];

/** A markdown table (also readable in a terminal). */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
