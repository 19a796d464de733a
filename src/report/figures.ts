import {
  MISSING,
  formatBytes,
  formatCount,
  formatMs,
  formatPercent,
  formatRatio,
  orMissing,
} from './format.js';
import type { ModelPair, TransportResult } from './model.js';

/**
 * The one row spec shared by the terminal table and the markdown table: one row per
 * figure, one column per transport. Adding a figure here adds it to both.
 */
export interface Figure {
  /** Stable key, e.g. "latency.p99" (for tests and for picking rows). */
  id: string;
  /** Row label, with the unit when it is the same for every cell, e.g. "latency p99 (ms)". */
  label: string;
  /** The formatted cell for one transport (`MISSING` when not measured or not applicable). */
  cell: (transport: TransportResult) => string;
  /** Whether the figure exists for this transport; a row no transport has is left out. */
  appliesTo?: (transport: TransportResult) => boolean;
  /** The raw value in the figure's base unit (numeric rows only; `compare` reads it). */
  value?: Accessor;
  /** The row's number formatter (numeric rows only). */
  format?: (n: number) => string;
}

type Accessor = (transport: TransportResult) => number | null | undefined;

/**
 * A numeric row. `path` is the figure's dotted path in the result (the key of `spread`), so
 * that a repeated run shows each median with its range: "2.57 (2.47–2.92)".
 */
function numeric(id: string, label: string, value: Accessor, format: (n: number) => string, path: string = id): Figure {
  const show = orMissing(format);
  return {
    id,
    label,
    value,
    format,
    cell: (transport) => {
      const range = transport.spread?.[path];
      return range ? `${show(value(transport))} (${format(range.min)}–${format(range.max)})` : show(value(transport));
    },
  };
}

function optionalNumeric(id: string, label: string, value: Accessor, format: (n: number) => string): Figure {
  return { ...numeric(id, label, value, format), appliesTo: (transport) => value(transport) !== undefined };
}

/** A "model / measured" row, shown only for transports that have that model figure. */
function modelled(
  id: string,
  label: string,
  pair: (model: NonNullable<TransportResult['model']>) => ModelPair | undefined,
  format: (n: number) => string,
): Figure {
  const show = orMissing(format);
  const pairOf = (transport: TransportResult) => (transport.model ? pair(transport.model) : undefined);
  return {
    id,
    label,
    cell: (transport) => {
      const found = pairOf(transport);
      return found ? `${show(found.model)} / ${show(found.measured)}` : MISSING;
    },
    appliesTo: (transport) => pairOf(transport) !== undefined,
  };
}

const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Empty responses as a fraction of requests; null when there were no requests. */
export function emptyFraction(transport: TransportResult): number | null {
  return transport.requests.total > 0 ? transport.requests.empty / transport.requests.total : null;
}

export const FIGURES: readonly Figure[] = [
  numeric('clients', 'clients', (t) => t.clients, formatCount),
  numeric('duration', 'measured window', (t) => t.durationMs, formatSeconds, 'durationMs'),
  numeric('events.published', 'events published', (t) => t.events.published, formatCount),
  numeric('events.expected', 'events expected', (t) => t.events.expected, formatCount),
  numeric('events.delivered', 'events delivered', (t) => t.events.delivered, formatCount),
  numeric('events.lost', 'events lost', (t) => t.events.lost, formatCount),
  numeric('events.duplicated', 'events duplicated', (t) => t.events.duplicated, formatCount),
  numeric('events.reordered', 'events reordered', (t) => t.events.reordered, formatCount),
  numeric('latency.p50', 'latency p50 (ms)', (t) => t.latencyMs.p50, formatMs, 'latencyMs.p50'),
  numeric('latency.p90', 'latency p90 (ms)', (t) => t.latencyMs.p90, formatMs, 'latencyMs.p90'),
  numeric('latency.p99', 'latency p99 (ms)', (t) => t.latencyMs.p99, formatMs, 'latencyMs.p99'),
  numeric('latency.p999', 'latency p99.9 (ms)', (t) => t.latencyMs.p999, formatMs, 'latencyMs.p999'),
  numeric('latency.max', 'latency max (ms)', (t) => t.latencyMs.max, formatMs, 'latencyMs.max'),
  numeric('latency.mean', 'latency mean (ms)', (t) => t.latencyMs.mean, formatMs, 'latencyMs.mean'),
  numeric('publishLag.p99', 'publish lag p99 (ms)', (t) => t.publishLagMs.p99, formatMs, 'publishLagMs.p99'),
  numeric('connect.p99', 'connect p99 (ms)', (t) => t.connectMs.p99, formatMs, 'connectMs.p99'),
  numeric('requests.total', 'requests', (t) => t.requests.total, formatCount),
  numeric('requests.empty', 'empty responses', (t) => t.requests.empty, formatCount),
  numeric('requests.emptyFraction', 'empty responses (%)', emptyFraction, formatPercent),
  numeric('requests.perDelivery', 'requests per delivery', (t) => t.requests.perDelivery, formatRatio),
  optionalNumeric('frames.down', 'WebSocket frames down', (t) => t.frames?.down, formatCount),
  optionalNumeric('frames.up', 'WebSocket frames up', (t) => t.frames?.up, formatCount),
  numeric('bytes.down', 'bytes down', (t) => t.bytes.down, formatBytes),
  numeric('bytes.up', 'bytes up', (t) => t.bytes.up, formatBytes),
  numeric('bytes.perDelivery', 'bytes per delivery', (t) => t.bytes.perDelivery, formatBytes),
  numeric('bytes.overheadRatio', 'wire / payload bytes', (t) => t.bytes.overheadRatio, formatRatio),
  numeric('payloadBytesDelivered', 'payload delivered', (t) => t.payloadBytesDelivered, formatBytes),
  numeric('server.cpuMs', 'server CPU (ms)', (t) => t.server.cpuMs, formatCount),
  numeric('server.rssPeakBytes', 'server peak RSS', (t) => t.server.rssPeakBytes, formatBytes),
  numeric('server.elu', 'server event-loop use', (t) => t.server.elu, formatPercent),
  numeric('client.cpuMs', 'client CPU (ms)', (t) => t.client.cpuMs, formatCount),
  numeric('client.elu', 'client event-loop use (max)', (t) => t.client.elu, formatPercent),
  modelled('model.meanLatencyMs', 'mean latency model / measured (ms)', (m) => m.meanLatencyMs, formatMs),
  modelled('model.emptyFraction', 'empty responses model / measured', (m) => m.emptyFraction, formatPercent),
  modelled('model.requestsPerDelivery', 'requests per delivery model / measured', (m) => m.requestsPerDelivery, formatRatio),
];

/** A rendered row: its label and one formatted cell per transport. */
export interface FigureRowCells {
  id: string;
  label: string;
  cells: string[];
}

/** The rows for these transports: figures no transport has are left out. */
export function figureRows(
  transports: readonly TransportResult[],
  figures: readonly Figure[] = FIGURES,
): FigureRowCells[] {
  return figures
    .filter((figure) => figure.appliesTo === undefined || transports.some(figure.appliesTo))
    .map((figure) => ({ id: figure.id, label: figure.label, cells: transports.map(figure.cell) }));
}
