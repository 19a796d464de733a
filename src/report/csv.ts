import type { Result, TransportResult } from './model.js';

/**
 * result.csv: one row per transport, one column per figure, RFC 4180 (CRLF line ends,
 * fields holding `,` `"` CR or LF quoted, quotes doubled). The header names carry the unit.
 *
 * Numeric cells are written from the model's *numbers* only, as plain JS numbers (`-3`,
 * `0.25`, `12345`), and never escaped: they are data a spreadsheet must read as numbers.
 * Text cells (transport names, warnings) come from users and servers, so any text starting
 * with `=` `+` `-` `@`, tab or CR gets a leading `'`, which spreadsheets show but do not
 * evaluate (the OWASP "CSV injection" advice). The type decides, not the look: the text
 * "-3+cmd" is neutralised, the number -3 stays a number. null is an empty cell.
 */

type CellValue = number | string | null | undefined;

interface Column {
  /** Header name: snake_case with a unit suffix (_ms, _bytes, _count is implied for counts). */
  name: string;
  value: (transport: TransportResult) => CellValue;
}

const summaryColumns = (prefix: string, pick: (t: TransportResult) => TransportResult['latencyMs']): Column[] => [
  { name: `${prefix}_min_ms`, value: (t) => pick(t).min },
  { name: `${prefix}_mean_ms`, value: (t) => pick(t).mean },
  { name: `${prefix}_p50_ms`, value: (t) => pick(t).p50 },
  { name: `${prefix}_p90_ms`, value: (t) => pick(t).p90 },
  { name: `${prefix}_p99_ms`, value: (t) => pick(t).p99 },
  { name: `${prefix}_p999_ms`, value: (t) => pick(t).p999 },
  { name: `${prefix}_max_ms`, value: (t) => pick(t).max },
  { name: `${prefix}_count`, value: (t) => pick(t).count },
];

/** The CSV columns, in order: a public format, so only ever append. */
export const CSV_COLUMNS: readonly Column[] = [
  { name: 'transport', value: (t) => t.transport },
  { name: 'clients', value: (t) => t.clients },
  { name: 'duration_ms', value: (t) => t.durationMs },
  { name: 'events_published', value: (t) => t.events.published },
  { name: 'events_expected', value: (t) => t.events.expected },
  { name: 'events_delivered', value: (t) => t.events.delivered },
  { name: 'events_lost', value: (t) => t.events.lost },
  { name: 'events_duplicated', value: (t) => t.events.duplicated },
  { name: 'events_reordered', value: (t) => t.events.reordered },
  ...summaryColumns('latency', (t) => t.latencyMs),
  ...summaryColumns('publish_lag', (t) => t.publishLagMs),
  ...summaryColumns('connect', (t) => t.connectMs),
  { name: 'requests_total', value: (t) => t.requests.total },
  { name: 'requests_empty', value: (t) => t.requests.empty },
  { name: 'requests_per_delivery', value: (t) => t.requests.perDelivery },
  { name: 'frames_up', value: (t) => t.frames?.up },
  { name: 'frames_down', value: (t) => t.frames?.down },
  { name: 'bytes_up', value: (t) => t.bytes.up },
  { name: 'bytes_down', value: (t) => t.bytes.down },
  { name: 'bytes_per_delivery', value: (t) => t.bytes.perDelivery },
  { name: 'overhead_ratio', value: (t) => t.bytes.overheadRatio },
  { name: 'phase_bytes_up', value: (t) => t.bytes.phase.up },
  { name: 'phase_bytes_down', value: (t) => t.bytes.phase.down },
  { name: 'payload_bytes_delivered', value: (t) => t.payloadBytesDelivered },
  { name: 'server_cpu_ms', value: (t) => t.server.cpuMs },
  { name: 'server_rss_peak_bytes', value: (t) => t.server.rssPeakBytes },
  { name: 'server_elu_ratio', value: (t) => t.server.elu },
  { name: 'client_cpu_ms', value: (t) => t.client.cpuMs },
  { name: 'client_rss_peak_bytes', value: (t) => t.client.rssPeakBytes },
  { name: 'client_elu_ratio', value: (t) => t.client.elu },
  { name: 'client_processes', value: (t) => t.client.processes },
  { name: 'model_mean_latency_ms', value: (t) => t.model?.meanLatencyMs?.model },
  { name: 'model_empty_fraction', value: (t) => t.model?.emptyFraction?.model },
  { name: 'model_requests_per_delivery', value: (t) => t.model?.requestsPerDelivery?.model },
  { name: 'warnings', value: (t) => t.warnings.map((w) => `${w.code}: ${w.message}`).join('\n') },
];

const CRLF = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Text that a spreadsheet would not evaluate as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: numbers as numbers, text neutralised and quoted when needed. */
export function csvField(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = neutraliseFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(values: readonly CellValue[]): string {
  return values.map(csvField).join(',');
}

export function serialize(result: Result): string {
  const header = csvLine(CSV_COLUMNS.map((column) => column.name));
  const rows = result.transports.map((transport) => csvLine(CSV_COLUMNS.map((column) => column.value(transport))));
  return [header, ...rows].map((line) => line + CRLF).join('');
}
