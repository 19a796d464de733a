/** The figures a bench prints, from push-bench's or the baseline's run, and the tables. */

type Ms = number | null;

export interface RunFigures {
  /** Clients connected. Count. */
  clients: number;
  /** Events that should have arrived in the window, summed over clients. Count. */
  expected: number;
  /** Events that did. Count. */
  delivered: number;
  /** Measured window, ms. */
  durationMs: number;
  latencyMs: { p50: Ms; p99: Ms };
  connectMs?: { p50: Ms; p99: Ms };
  publishLagMs?: { p50: Ms; p99: Ms };
  /**
   * Server: CPU ms in the window and peak RSS bytes (each summed over its processes), RSS bytes of one process with
   * no client, the busiest process's event-loop utilisation 0..1, how many processes (absent: one).
   */
  server: { cpuMs: number | null; rssPeakBytes: number | null; idleRssBytes: number; elu: number | null; processes?: number };
  /** Client processes: CPU ms summed, the highest event-loop utilisation 0..1, how many. */
  client: { cpuMs: number | null; elu: number | null; processes: number };
  warnings?: string[];
}

function deliveredPerSecond(run: RunFigures): number {
  return (run.delivered * 1_000) / run.durationMs;
}

/** Server memory per held connection: peak RSS in the window above what its processes take with no client. */
function rssPerConnection(run: RunFigures): number | null {
  if (run.server.rssPeakBytes === null || run.clients === 0) return null;
  return Math.max(0, run.server.rssPeakBytes - run.server.idleRssBytes * (run.server.processes ?? 1)) / run.clients;
}

/** Client processes' CPU per delivered event, µs: what the generator pays to receive one. */
function clientCpuPerDelivery(run: RunFigures): number | null {
  return run.client.cpuMs === null || run.delivered === 0 ? null : (run.client.cpuMs * 1_000) / run.delivered;
}

/** CPU time over the window as a share of one core, %. */
function cpuPercent(cpuMs: number | null, durationMs: number): number | null {
  return cpuMs === null ? null : (cpuMs / durationMs) * 100;
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

type Format = (v: number | null | undefined) => string;
const orDash =
  (format: (v: number) => string): Format =>
  (v) =>
    v === null || v === undefined ? '—' : format(v);
const fmt = {
  int: orDash((v) => Math.round(v).toLocaleString('en-US')),
  ms: orDash((v) => (v < 10 ? v.toFixed(2) : v.toFixed(1))),
  kb: orDash((v) => (v / 1_000).toFixed(1)),
  pct: orDash((v) => `${v.toFixed(0)}%`),
  x: orDash((v) => `${v.toFixed(2)}x`),
};

export const SCALE_HEADER = [
  'run',
  'clients held',
  'lost',
  'delivered/s',
  'p50 ms',
  'p99 ms',
  'connect p99 ms',
  'server kB/conn',
  'server CPU',
  'client CPU',
  'client µs/event',
  'client ELU max',
];

/** A row of the scale table. */
export function scaleRow(label: string, run: RunFigures): string[] {
  return [
    label,
    fmt.int(run.clients),
    fmt.int(run.expected - run.delivered),
    fmt.int(deliveredPerSecond(run)),
    fmt.ms(run.latencyMs.p50),
    fmt.ms(run.latencyMs.p99),
    fmt.ms(run.connectMs?.p99 ?? null),
    fmt.kb(rssPerConnection(run)),
    fmt.pct(cpuPercent(run.server.cpuMs, run.durationMs)),
    fmt.pct(cpuPercent(run.client.cpuMs, run.durationMs)),
    fmt.ms(clientCpuPerDelivery(run)),
    fmt.pct(run.client.elu === null ? null : run.client.elu * 100),
  ];
}

export const RATIO_HEADER = ['push-bench ÷ baseline', 'latency p50', 'delivered/s', 'client CPU/delivery', 'server memory/conn'];

export function ratioRow(label: string, pushBench: RunFigures, baseline: RunFigures, latencyRange?: [number, number]): string[] {
  const range = latencyRange ? ` (${latencyRange[0].toFixed(2)}–${latencyRange[1].toFixed(2)})` : '';
  return [
    label,
    fmt.x(ratio(pushBench.latencyMs.p50, baseline.latencyMs.p50)) + range,
    fmt.x(ratio(deliveredPerSecond(pushBench), deliveredPerSecond(baseline))),
    fmt.x(ratio(clientCpuPerDelivery(pushBench), clientCpuPerDelivery(baseline))),
    fmt.x(ratio(rssPerConnection(pushBench), rssPerConnection(baseline))),
  ];
}

/** Whole requests per second, as printed. */
export const formatRate = (v: number): string => fmt.int(v);

/** A markdown table (also readable in a terminal). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
