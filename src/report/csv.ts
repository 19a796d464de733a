import { stringify } from 'csv-stringify/sync';
import { FIGURE_CATALOG, type FigureCsvColumn, type FigureDefinition } from '../figures/catalog.js';
import { readPath } from '../figures/read.js';
import type { Result, TransportResult } from './model.js';

/**
 * result.csv: one row per transport, one column per figure, RFC 4180 (CRLF line ends,
 * fields holding `,` `"` CR or LF quoted, quotes doubled), written by csv-stringify. The
 * header names carry the unit.
 *
 * Numeric cells are written from the model's *numbers* only, as plain JS numbers (`-3`,
 * `0.25`, `12345`), and never escaped: they are data a spreadsheet must read as numbers.
 * Text cells (transport names, warnings) come from users and servers, so any text starting
 * with `=` `+` `-` `@` (or their full-width forms), tab or CR gets a leading `'`, which
 * spreadsheets show but do not evaluate (the OWASP "CSV injection" advice, csv-stringify's
 * `escape_formulas`). The type decides, not the look: the text "-3+cmd" is neutralised, the
 * number -3 stays a number. null, and a number that is not finite, is an empty cell.
 */

/** The text columns: the others are figures of the catalog. */
type TextColumn = 'transport' | 'warnings';
type Column = FigureCsvColumn | TextColumn;

/** The columns as given, or a compile error naming each catalog column they leave out. */
function everyColumnPlaced<const Order extends readonly Column[]>(
  order: Order & ([Exclude<FigureCsvColumn, Order[number]>] extends [never] ? unknown : { unplaced: Exclude<FigureCsvColumn, Order[number]> }),
): Order {
  return order;
}

/**
 * The column order of result.csv. A public format: only ever append. Every figure's `csv`
 * column of the catalog must be placed here: a missing one is a compile error.
 */
export const CSV_COLUMN_ORDER = everyColumnPlaced([
  'transport',
  'clients',
  'duration_ms',
  'events_published',
  'events_expected',
  'events_delivered',
  'events_lost',
  'events_duplicated',
  'events_reordered',
  'latency_min_ms',
  'latency_mean_ms',
  'latency_p50_ms',
  'latency_p90_ms',
  'latency_p99_ms',
  'latency_p999_ms',
  'latency_max_ms',
  'latency_count',
  'publish_lag_min_ms',
  'publish_lag_mean_ms',
  'publish_lag_p50_ms',
  'publish_lag_p90_ms',
  'publish_lag_p99_ms',
  'publish_lag_p999_ms',
  'publish_lag_max_ms',
  'publish_lag_count',
  'connect_min_ms',
  'connect_mean_ms',
  'connect_p50_ms',
  'connect_p90_ms',
  'connect_p99_ms',
  'connect_p999_ms',
  'connect_max_ms',
  'connect_count',
  'requests_total',
  'requests_empty',
  'requests_per_delivery',
  'frames_up',
  'frames_down',
  'bytes_up',
  'bytes_down',
  'bytes_per_delivery',
  'overhead_ratio',
  'phase_bytes_up',
  'phase_bytes_down',
  'payload_bytes_delivered',
  'server_cpu_ms',
  'server_rss_peak_bytes',
  'server_elu_ratio',
  'client_cpu_ms',
  'client_rss_peak_bytes',
  'client_elu_ratio',
  'client_processes',
  'model_mean_latency_ms',
  'model_empty_fraction',
  'model_requests_per_delivery',
  'warnings',
  'requests_failed',
  'server_heartbeats',
  'server_heartbeat_bytes',
  'proxy_cpu_ms',
  'proxy_elu_ratio',
  'proxy_rss_peak_bytes',
  'proxy_connections',
  'proxy_idle_cuts',
  'proxy_pauses',
  'proxy_bytes_up',
  'proxy_bytes_down',
  'proxy_processes',
  'offline_episodes',
  'offline_expected',
  'offline_recovered',
  'offline_lost',
  'offline_recover_p50_ms',
  'offline_recover_p99_ms',
  'offline_recover_max_ms',
  'offline_recovered_latency_p50_ms',
  'offline_recovered_latency_p99_ms',
  'offline_recovered_latency_max_ms',
  'offline_server_heartbeat_closes',
  'offline_server_half_open_mean_ms',
  'offline_server_half_open_max_ms',
  'slow_clients',
  'slow_clients_events_expected',
  'slow_clients_events_delivered',
  'slow_clients_events_lost',
  'slow_clients_latency_p50_ms',
  'slow_clients_latency_p99_ms',
  'slow_clients_others_latency_p50_ms',
  'slow_clients_others_latency_p99_ms',
  'slow_clients_server_pauses',
  'slow_clients_server_skipped_events',
  'slow_clients_server_disconnects',
  'slow_clients_server_max_socket_buffered_bytes',
  'slow_clients_server_buffered_bytes',
  'nginx_cpu_ms',
  'nginx_rss_bytes',
  'nginx_read_timeouts',
  'requests_reconnects',
  'model_bytes_per_delivery',
  'broker_held_peak',
  'broker_held_at_end',
]);

type CellValue = number | string | null;

/** The result.json path whose number fills a figure's column: a model figure's column holds the model's half. */
function csvPath(figure: FigureDefinition): string | undefined {
  if (figure.kind === 'quotient') return undefined;
  return figure.kind === 'model' ? `${figure.path}.model` : figure.path;
}

const PATH_OF_COLUMN: ReadonlyMap<string, string> = new Map(
  FIGURE_CATALOG.flatMap((figure) => {
    const path = csvPath(figure);
    return figure.csv !== undefined && path !== undefined ? [[figure.csv, path] as const] : [];
  }),
);

function cell(transport: TransportResult, column: Column): CellValue {
  if (column === 'transport') return transport.transport;
  if (column === 'warnings') return transport.warnings.map((w) => `${w.code}: ${w.message}`).join('\n');
  const value = readPath(transport, PATH_OF_COLUMN.get(column) ?? '');
  return typeof value === 'number' ? value : null;
}

export function serialize(result: Result): string {
  const rows = result.transports.map((transport) => CSV_COLUMN_ORDER.map((column) => cell(transport, column)));
  return stringify(rows, {
    columns: [...CSV_COLUMN_ORDER],
    header: true,
    record_delimiter: 'windows',
    // Off by default once a record delimiter is set: a lone LF or CR in a field must still be quoted.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: { number: (value) => (Number.isFinite(value) ? String(value) : '') },
  });
}
