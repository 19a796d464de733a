import { stringify } from 'csv-stringify/sync';
import { FIGURE_CATALOG, type FigureCsvColumn, type FigureDefinition } from '../figures/catalog.js';
import { readPath } from '../figures/read.js';
import { scenarioName } from './header.js';
import type { Result, TransportResult } from './model.js';

/**
 * result.csv: one row per transport (and per repeat), one column per figure, RFC 4180 (CRLF line ends,
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

/** The columns that are not figures of the catalog: which run, scenario, repeat and transport a row is, and its warnings. */
type TextColumn = 'transport' | 'warnings' | 'run_id' | 'scenario' | 'started_at' | 'repeat';
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
  'run_id',
  'scenario',
  'started_at',
  'repeat',
  'server_processes',
  'server_cpu_ms_min',
  'server_cpu_ms_max',
  'server_rss_peak_bytes_min',
  'server_rss_peak_bytes_max',
  'server_elu_ratio_min',
  'backplane_cpu_ms',
  'backplane_rss_peak_bytes',
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

/**
 * One row of a result: a transport's figures, as reported (`repeat` 1 for a single run; with
 * --repeat, null for the medians over the repeats) or as one repeat measured them (1..N).
 */
interface Row {
  result: Result;
  transport: TransportResult;
  repeat: number | null;
}

function rowsOf(result: Result): Row[] {
  if (result.repeats === undefined) return result.transports.map((transport) => ({ result, transport, repeat: 1 }));
  return [
    ...result.transports.map((transport) => ({ result, transport, repeat: null })),
    ...result.repeats.flatMap((repeat, index) => repeat.transports.map((transport) => ({ result, transport, repeat: index + 1 }))),
  ];
}

/** The cells that say which run, scenario and repeat a row belongs to, in both layouts. */
function whichRun(row: Row): Record<'run_id' | 'scenario' | 'started_at' | 'repeat', CellValue> {
  return { run_id: row.result.runId ?? null, scenario: scenarioName(row.result), started_at: row.result.startedAt, repeat: row.repeat };
}

function cell(row: Row, column: Column): CellValue {
  const { transport } = row;
  switch (column) {
    case 'transport':
      return transport.transport;
    case 'warnings':
      return transport.warnings.map((w) => `${w.code}: ${w.message}`).join('\n');
    case 'run_id':
    case 'scenario':
    case 'started_at':
    case 'repeat':
      return whichRun(row)[column];
    default: {
      const value = readPath(transport, PATH_OF_COLUMN.get(column) ?? '');
      return typeof value === 'number' ? value : null;
    }
  }
}

/** How result.csv is laid out: `wide`, a row per transport and a column per figure; `long`, a row per transport and figure (tidy). */
export type CsvLayout = 'wide' | 'long';

export const CSV_LAYOUTS: readonly CsvLayout[] = ['wide', 'long'];

/** The long layout's columns: one value per row, with its figure's id (as thresholds and `compare` name it) and unit. */
const LONG_COLUMNS = ['run_id', 'scenario', 'started_at', 'repeat', 'transport', 'figure', 'unit', 'value'] as const;

/** The figures the CSV carries, in column order. */
const CSV_FIGURES: readonly FigureDefinition[] = CSV_COLUMN_ORDER.flatMap((column) => FIGURE_CATALOG.filter((figure) => figure.csv === column));

function longRows(row: Row): CellValue[][] {
  const run = whichRun(row);
  return CSV_FIGURES.flatMap((figure) => {
    const value = readPath(row.transport, csvPath(figure) ?? '');
    // A figure that does not apply to the transport (not in its result) has no row; one not measured has an empty value.
    if (value === undefined) return [];
    return [[run.run_id, run.scenario, run.started_at, run.repeat, row.transport.transport, figure.id, figure.unit, typeof value === 'number' ? value : null]];
  });
}

/** Columns set before the others, per result: e.g. a sweep's varied values, so each row says which point it is. */
export interface LeadingColumns {
  names: readonly string[];
  valuesOf: (result: Result) => readonly CellValue[];
}

/** Several results in one file, under one header (their rows tell them apart by run_id and scenario, and any leading columns). */
export function serializeAll(results: readonly Result[], layout: CsvLayout = 'wide', leading?: LeadingColumns): string {
  const cells = results.flatMap((result) => {
    const rows = rowsOf(result);
    const body = layout === 'long' ? rows.flatMap(longRows) : rows.map((row) => CSV_COLUMN_ORDER.map((column) => cell(row, column)));
    const lead = leading?.valuesOf(result) ?? [];
    return body.map((row) => [...lead, ...row]);
  });
  return stringify(cells, {
    columns: [...(leading?.names ?? []), ...(layout === 'long' ? LONG_COLUMNS : CSV_COLUMN_ORDER)],
    header: true,
    record_delimiter: 'windows',
    // Off by default once a record delimiter is set: a lone LF or CR in a field must still be quoted.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: { number: (value) => (Number.isFinite(value) ? String(value) : '') },
  });
}

export function serialize(result: Result, layout: CsvLayout = 'wide'): string {
  return serializeAll([result], layout);
}
