/**
 * The figure catalog: every figure of a transport's result, defined once. Thresholds, the
 * terminal and Markdown tables, result.csv, report.html, `compare` and the spread of
 * `--repeat` all read it, so a figure cannot be thresholdable but never shown, or shown but
 * never compared, by accident. Adding a figure is one entry here (plus its field in
 * src/report/model.ts, which a type check in src/report/figures.ts holds it to, and its CSV
 * column's place in src/report/csv.ts, which is a compile error when missing).
 *
 * Pure data: this folder imports nothing from report/, runner/, scenario/ or cli/ and does no
 * I/O, so every layer may read it. The entries are in the order the tables show them.
 */

/**
 * What a figure's number is. The unit decides how a threshold's limit is written, how the
 * tables format the value and how `compare` shows a change (src/report/format.ts,
 * src/compare/figures.ts, src/scenario/thresholds.ts).
 */
export type Unit =
  /** A delay in milliseconds (latency, publish lag, connect time): about 3 significant digits. */
  | 'ms'
  /** CPU time in milliseconds: a whole number, its jitter is far above 1 ms. */
  | 'cpu-ms'
  /** The length of the measured window in milliseconds, shown in seconds. */
  | 'window-ms'
  | 'bytes'
  | 'count'
  /** A plain ratio or a per-event figure, e.g. requests per delivery. */
  | 'ratio'
  /** A share, 0..1, shown as a percentage; a change of it is in percentage points. */
  | 'fraction';

/**
 * `lower`: a smaller value is better (latency, bytes, requests, loss, CPU, RSS).
 * `higher`: a larger value is better. `none`: the value follows from the workload, so a
 * change says nothing good or bad about the transport; shown, never judged.
 */
export type Direction = 'lower' | 'higher' | 'none';

/**
 * How much a figure moves between two runs of the same commit, measured here (docs/ci.md):
 * - `exact`: set by the seeded schedule and the protocol (loss, requests, bytes): a change is real;
 * - `timing`: central latency (p50, p90, mean): steady, but moves by scheduler jitter;
 * - `volatile`: tails and extremes (min, p99 and beyond, max, publish lag, connect time) and
 *   process cost (CPU, RSS, event-loop use): two single runs of one commit differ by 20–150 %,
 *   so only repeats can tell a change from noise.
 */
export type Noise = 'exact' | 'timing' | 'volatile';

interface FigureBase {
  /** Stable key, e.g. "latency.p99": the table's row id and the figure `compare` names. */
  id: string;
  /** Row label; with the unit when it is the same for every cell, e.g. "latency p99 (ms)". */
  label: string;
  unit: Unit;
  /** Its column in result.csv (snake_case with a unit suffix); none when the CSV does not carry it. */
  csv?: string;
  /**
   * Present only in the results of transports it applies to (e.g. `frames`: only framed
   * transports have them); such a figure applies to a transport exactly when its result has it.
   */
  optional?: true;
}

interface MeasuredBase extends FigureBase {
  direction: Direction;
  noise: Noise;
}

/**
 * A number of one transport's result.json, at `path`. Only a figure the tables show may be
 * named by a threshold: the type refuses `threshold` on a hidden one.
 */
export type MeasuredFigure = MeasuredBase & {
  kind: 'measured';
  /** Dotted path inside one transport of result.json, e.g. "latencyMs.p99". */
  path: string;
  /** Describes the run's setup, not the transport: `compare` reports it as a setup change, never as a figure. */
  setup?: true;
} & (
    | {
        shown: true;
        /** Thresholds may name it: `true` by its id, a string by that documented name (older than the id). */
        threshold?: true | string;
      }
    | { shown: false; threshold?: never }
  );

/** `numerator / denominator`, two paths of the result; null when the denominator is 0. Shown, never in result.json. */
export interface QuotientFigure extends MeasuredBase {
  kind: 'quotient';
  numerator: string;
  denominator: string;
  shown: true;
}

/** A `{model, measured}` pair at `path`: what a model predicts beside what was measured; shown, never judged. */
export interface ModelFigure extends FigureBase {
  kind: 'model';
  path: string;
  shown: true;
}

export type FigureDefinition = MeasuredFigure | QuotientFigure | ModelFigure;

/**
 * The statistics of a histogram summary (`latencyMs`, `publishLagMs`, `connectMs`), in table
 * order. The central ones are steadier than tails and extremes (noise `timing` for delivery
 * latency; publish lag and connect time are volatile throughout).
 */
const SUMMARY_STATS = [
  { stat: 'min', label: 'min', central: false },
  { stat: 'p50', label: 'p50', central: true },
  { stat: 'p90', label: 'p90', central: true },
  { stat: 'p99', label: 'p99', central: false },
  { stat: 'p999', label: 'p99.9', central: false },
  { stat: 'max', label: 'max', central: false },
  { stat: 'mean', label: 'mean', central: true },
] as const;

/** A summary's figures: each statistic (shown, thresholdable, lower is better) and its sample count (CSV only). */
function summaryFigures<const Group extends string, const Path extends string, const Csv extends string>(
  group: Group,
  path: Path,
  csv: Csv,
  name: string,
  centralNoise: Noise,
) {
  const stats = SUMMARY_STATS.map(
    ({ stat, label, central }) =>
      ({
        kind: 'measured',
        id: `${group}.${stat}`,
        path: `${path}.${stat}`,
        unit: 'ms',
        label: `${name} ${label} (ms)`,
        direction: 'lower',
        noise: central ? centralNoise : 'volatile',
        shown: true,
        threshold: true,
        csv: `${csv}_${stat}_ms`,
      }) as const,
  );
  const count = {
    kind: 'measured',
    id: `${group}.count`,
    path: `${path}.count`,
    unit: 'count',
    label: `${name} samples`,
    direction: 'none',
    noise: 'exact',
    shown: false,
    csv: `${csv}_count`,
  } as const;
  return [...stats, count] as const;
}

/**
 * An offline summary: the middle, the tail and the worst shown (and in the CSV); its other
 * statistics kept in result.json and folded by --repeat, but not shown.
 */
function offlineSummary<const Group extends string, const Path extends string, const Csv extends string>(group: Group, path: Path, csv: Csv, name: string) {
  const shown = (['p50', 'p99', 'max'] as const).map(
    (stat) =>
      ({
        kind: 'measured',
        id: `${group}.${stat}`,
        path: `${path}.${stat}`,
        unit: 'ms',
        label: `${name} ${stat} (ms)`,
        direction: 'lower',
        noise: stat === 'p50' ? 'timing' : 'volatile',
        shown: true,
        threshold: true,
        csv: `${csv}_${stat}_ms`,
        optional: true,
      }) as const,
  );
  const hidden = (['min', 'p90', 'p999', 'mean', 'count'] as const).map(
    (stat) =>
      ({
        kind: 'measured',
        id: `${group}.${stat}`,
        path: `${path}.${stat}`,
        unit: stat === 'count' ? 'count' : 'ms',
        label: `${name} ${stat}`,
        direction: stat === 'count' ? 'none' : 'lower',
        noise: stat === 'count' ? 'exact' : 'volatile',
        shown: false,
        optional: true,
      }) as const,
  );
  return [...shown, ...hidden] as const;
}

/** The `offline` section's figures (docs/conditions.md). */
function offlineFigures() {
  const counted = <const Id extends string, const Csv extends string, const D extends Direction>(id: Id, label: string, direction: D, csv: Csv) =>
    ({
      kind: 'measured',
      id: `offline.${id}`,
      path: `offline.${id}`,
      unit: 'count',
      label,
      direction,
      noise: 'exact',
      shown: true,
      threshold: true,
      csv,
      optional: true,
    }) as const;
  return [
    counted('episodes', 'offline episodes', 'none', 'offline_episodes'),
    counted('expected', 'events due while offline', 'none', 'offline_expected'),
    counted('recovered', 'recovered after return', 'higher', 'offline_recovered'),
    counted('lost', 'lost while offline', 'lower', 'offline_lost'),
    ...offlineSummary('offline.recover', 'offline.recoverMs', 'offline_recover', 'time to recover'),
    ...offlineSummary('offline.recoveredLatency', 'offline.recoveredLatencyMs', 'offline_recovered_latency', 'recovered latency'),
    {
      kind: 'measured',
      id: 'offline.serverHeartbeatCloses',
      path: 'offline.serverHeartbeatCloses',
      unit: 'count',
      label: 'closed by server heartbeat',
      direction: 'none',
      noise: 'timing',
      shown: true,
      csv: 'offline_server_heartbeat_closes',
      optional: true,
    },
    ...(['Mean', 'Max'] as const).map(
      (stat) =>
        ({
          kind: 'measured',
          id: `offline.serverHalfOpen${stat}`,
          path: `offline.serverHalfOpen${stat}Ms`,
          unit: 'ms',
          label: `server held unanswered, ${stat === 'Mean' ? 'mean' : 'max'} (ms)`,
          direction: 'lower',
          noise: 'volatile',
          shown: true,
          csv: `offline_server_half_open_${stat === 'Mean' ? 'mean' : 'max'}_ms`,
          optional: true,
        }) as const,
    ),
  ] as const;
}

const CATALOG = [
  {
    kind: 'measured',
    id: 'clients',
    path: 'clients',
    unit: 'count',
    label: 'clients',
    direction: 'none',
    noise: 'exact',
    setup: true,
    shown: true,
    csv: 'clients',
  },
  {
    kind: 'measured',
    id: 'duration',
    path: 'durationMs',
    unit: 'window-ms',
    label: 'measured window',
    direction: 'none',
    noise: 'exact',
    setup: true,
    shown: true,
    csv: 'duration_ms',
  },
  // The workload sets these three: a different count means a different run, not a better one.
  {
    kind: 'measured',
    id: 'events.published',
    path: 'events.published',
    unit: 'count',
    label: 'events published',
    direction: 'none',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_published',
  },
  {
    kind: 'measured',
    id: 'events.expected',
    path: 'events.expected',
    unit: 'count',
    label: 'events expected',
    direction: 'none',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_expected',
  },
  // Delivered mirrors lost (lost = expected − delivered): judging both would count one loss twice.
  {
    kind: 'measured',
    id: 'events.delivered',
    path: 'events.delivered',
    unit: 'count',
    label: 'events delivered',
    direction: 'none',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_delivered',
  },
  {
    kind: 'measured',
    id: 'events.lost',
    path: 'events.lost',
    unit: 'count',
    label: 'events lost',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_lost',
  },
  {
    kind: 'measured',
    id: 'events.duplicated',
    path: 'events.duplicated',
    unit: 'count',
    label: 'events duplicated',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_duplicated',
  },
  {
    kind: 'measured',
    id: 'events.reordered',
    path: 'events.reordered',
    unit: 'count',
    label: 'events reordered',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'events_reordered',
  },

  ...summaryFigures('latency', 'latencyMs', 'latency', 'latency', 'timing'),
  ...summaryFigures('publishLag', 'publishLagMs', 'publish_lag', 'publish lag', 'volatile'),
  ...summaryFigures('connect', 'connectMs', 'connect', 'connect', 'volatile'),

  {
    kind: 'measured',
    id: 'requests.total',
    path: 'requests.total',
    unit: 'count',
    label: 'requests',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'requests_total',
  },
  {
    kind: 'measured',
    id: 'requests.empty',
    path: 'requests.empty',
    unit: 'count',
    label: 'empty responses',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'requests_empty',
  },
  {
    kind: 'measured',
    id: 'requests.failed',
    path: 'requests.failed',
    unit: 'count',
    label: 'failed requests',
    optional: true,
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'requests_failed',
  },
  // Drops of working connections: what an intermediary's idle timeout or a missing heartbeat costs.
  {
    kind: 'measured',
    id: 'requests.reconnects',
    path: 'requests.reconnects',
    unit: 'count',
    label: 'connections dropped',
    optional: true,
    direction: 'lower',
    noise: 'timing',
    shown: true,
    threshold: true,
    csv: 'requests_reconnects',
  },
  {
    kind: 'quotient',
    id: 'requests.emptyFraction',
    numerator: 'requests.empty',
    denominator: 'requests.total',
    unit: 'fraction',
    label: 'empty responses (%)',
    direction: 'lower',
    noise: 'exact',
    shown: true,
  },
  {
    kind: 'measured',
    id: 'requests.perDelivery',
    path: 'requests.perDelivery',
    unit: 'ratio',
    label: 'requests per delivery',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'requests_per_delivery',
  },
  // One frame per event plus pings: the workload sets the count, and their cost is in bytes.
  {
    kind: 'measured',
    id: 'frames.down',
    path: 'frames.down',
    unit: 'count',
    label: 'WebSocket frames down',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: true,
    csv: 'frames_down',
  },
  {
    kind: 'measured',
    id: 'frames.up',
    path: 'frames.up',
    unit: 'count',
    label: 'WebSocket frames up',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: true,
    csv: 'frames_up',
  },

  {
    kind: 'measured',
    id: 'bytes.down',
    path: 'bytes.down',
    unit: 'bytes',
    label: 'bytes down',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'bytes_down',
  },
  {
    kind: 'measured',
    id: 'bytes.up',
    path: 'bytes.up',
    unit: 'bytes',
    label: 'bytes up',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'bytes_up',
  },
  {
    kind: 'measured',
    id: 'bytes.perDelivery',
    path: 'bytes.perDelivery',
    unit: 'bytes',
    label: 'bytes per delivery',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'bytes_per_delivery',
  },
  {
    kind: 'measured',
    id: 'bytes.overheadRatio',
    path: 'bytes.overheadRatio',
    unit: 'ratio',
    label: 'wire / payload bytes',
    direction: 'lower',
    noise: 'exact',
    shown: true,
    threshold: true,
    csv: 'overhead_ratio',
  },
  // The whole phase's bytes are there to check against a packet capture, not to compare transports.
  {
    kind: 'measured',
    id: 'bytes.phase.up',
    path: 'bytes.phase.up',
    unit: 'bytes',
    label: 'bytes up, whole phase',
    direction: 'none',
    noise: 'exact',
    shown: false,
    csv: 'phase_bytes_up',
  },
  {
    kind: 'measured',
    id: 'bytes.phase.down',
    path: 'bytes.phase.down',
    unit: 'bytes',
    label: 'bytes down, whole phase',
    direction: 'none',
    noise: 'exact',
    shown: false,
    csv: 'phase_bytes_down',
  },
  {
    kind: 'measured',
    id: 'payloadBytesDelivered',
    path: 'payloadBytesDelivered',
    unit: 'bytes',
    label: 'payload delivered',
    direction: 'none',
    noise: 'exact',
    shown: true,
    csv: 'payload_bytes_delivered',
  },

  {
    kind: 'measured',
    id: 'server.cpuMs',
    path: 'server.cpuMs',
    unit: 'cpu-ms',
    label: 'server CPU (ms)',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: 'server.cpu',
    csv: 'server_cpu_ms',
  },
  {
    kind: 'measured',
    id: 'server.rssPeakBytes',
    path: 'server.rssPeakBytes',
    unit: 'bytes',
    label: 'server peak RSS',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: 'server.rssPeak',
    csv: 'server_rss_peak_bytes',
  },
  // What a held connection or a poll costs the server, per unit of work: the figures a sweep compares across workloads.
  {
    kind: 'quotient',
    id: 'server.cpuMsPerDelivery',
    numerator: 'server.cpuMs',
    denominator: 'events.delivered',
    unit: 'ms',
    label: 'server CPU per delivery (ms)',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
  },
  {
    kind: 'quotient',
    id: 'server.rssPerClient',
    numerator: 'server.rssPeakBytes',
    denominator: 'clients',
    unit: 'bytes',
    label: 'server peak RSS per client',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
  },
  {
    kind: 'measured',
    id: 'server.elu',
    path: 'server.elu',
    unit: 'fraction',
    label: 'server event-loop use',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: true,
    csv: 'server_elu_ratio',
  },
  // What keeping an idle push connection alive through proxies costs: a wake-up and a few bytes per beat.
  {
    kind: 'measured',
    id: 'server.heartbeats',
    path: 'server.heartbeats',
    unit: 'count',
    label: 'heartbeats sent',
    direction: 'lower',
    noise: 'timing',
    shown: true,
    threshold: true,
    csv: 'server_heartbeats',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.heartbeatBytes',
    path: 'server.heartbeatBytes',
    unit: 'bytes',
    label: 'heartbeat bytes',
    direction: 'lower',
    noise: 'timing',
    shown: true,
    threshold: true,
    csv: 'server_heartbeat_bytes',
    optional: true,
  },
  // A server split over processes: its cost summed above, and here how evenly it spread (only with several processes).
  {
    kind: 'measured',
    id: 'server.processes',
    path: 'server.processes',
    unit: 'count',
    label: 'server processes',
    direction: 'none',
    noise: 'exact',
    shown: false,
    csv: 'server_processes',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.cpuMsMin',
    path: 'server.cpuMsMin',
    unit: 'cpu-ms',
    label: 'server CPU, least busy process (ms)',
    direction: 'none',
    noise: 'volatile',
    shown: true,
    csv: 'server_cpu_ms_min',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.cpuMsMax',
    path: 'server.cpuMsMax',
    unit: 'cpu-ms',
    label: 'server CPU, busiest process (ms)',
    direction: 'none',
    noise: 'volatile',
    shown: true,
    csv: 'server_cpu_ms_max',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.rssPeakBytesMin',
    path: 'server.rssPeakBytesMin',
    unit: 'bytes',
    label: 'server peak RSS, smallest process',
    direction: 'none',
    noise: 'volatile',
    shown: true,
    csv: 'server_rss_peak_bytes_min',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.rssPeakBytesMax',
    path: 'server.rssPeakBytesMax',
    unit: 'bytes',
    label: 'server peak RSS, largest process',
    direction: 'none',
    noise: 'volatile',
    shown: true,
    csv: 'server_rss_peak_bytes_max',
    optional: true,
  },
  {
    kind: 'measured',
    id: 'server.eluMin',
    path: 'server.eluMin',
    unit: 'fraction',
    label: 'server event-loop use, least busy process',
    direction: 'none',
    noise: 'volatile',
    shown: true,
    csv: 'server_elu_ratio_min',
    optional: true,
  },
  // The Redis or NATS server between the server processes: what the backplane hop costs besides the latency it adds.
  {
    kind: 'measured',
    id: 'backplane.cpuMs',
    path: 'backplane.cpuMs',
    unit: 'cpu-ms',
    label: 'backplane CPU (ms)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'backplane_cpu_ms',
  },
  {
    kind: 'measured',
    id: 'backplane.rssPeakBytes',
    path: 'backplane.rssPeakBytes',
    unit: 'bytes',
    label: 'backplane peak RSS',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'backplane_rss_peak_bytes',
  },
  // The client processes stand in for browsers and phones: their CPU is a cost of the transport too.
  {
    kind: 'measured',
    id: 'client.cpuMs',
    path: 'client.cpuMs',
    unit: 'cpu-ms',
    label: 'client CPU (ms)',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: 'client.cpu',
    csv: 'client_cpu_ms',
  },
  {
    kind: 'measured',
    id: 'client.rssPeakBytes',
    path: 'client.rssPeakBytes',
    unit: 'bytes',
    label: 'client peak RSS (sum)',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: 'client.rssPeak',
    csv: 'client_rss_peak_bytes',
  },
  {
    kind: 'measured',
    id: 'client.elu',
    path: 'client.elu',
    unit: 'fraction',
    label: 'client event-loop use (max)',
    direction: 'lower',
    noise: 'volatile',
    shown: true,
    threshold: true,
    csv: 'client_elu_ratio',
  },
  {
    kind: 'measured',
    id: 'client.processes',
    path: 'client.processes',
    unit: 'count',
    label: 'client processes',
    direction: 'none',
    noise: 'exact',
    shown: false,
    csv: 'client_processes',
  },
  // The shaping proxy stands in for the network; its own cost says whether it, not the transport, set the pace.
  {
    kind: 'measured',
    id: 'proxy.cpuMs',
    path: 'proxy.cpuMs',
    unit: 'cpu-ms',
    label: 'proxy CPU (ms)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_cpu_ms',
  },
  {
    kind: 'measured',
    id: 'proxy.elu',
    path: 'proxy.elu',
    unit: 'fraction',
    label: 'proxy event-loop use (max)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_elu_ratio',
  },
  {
    kind: 'measured',
    id: 'proxy.rssPeakBytes',
    path: 'proxy.rssPeakBytes',
    unit: 'bytes',
    label: 'proxy peak RSS (sum)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_rss_peak_bytes',
  },
  {
    kind: 'measured',
    id: 'proxy.connections',
    path: 'proxy.connections',
    unit: 'count',
    label: 'proxy connections',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_connections',
  },
  {
    kind: 'measured',
    id: 'proxy.idleCuts',
    path: 'proxy.idleCuts',
    unit: 'count',
    label: 'connections cut idle',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_idle_cuts',
  },
  {
    kind: 'measured',
    id: 'proxy.pauses',
    path: 'proxy.pauses',
    unit: 'count',
    label: 'proxy queue-full pauses',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'proxy_pauses',
  },
  {
    kind: 'measured',
    id: 'proxy.bytesUp',
    path: 'proxy.bytesUp',
    unit: 'bytes',
    label: 'proxy bytes up',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: false,
    csv: 'proxy_bytes_up',
  },
  {
    kind: 'measured',
    id: 'proxy.bytesDown',
    path: 'proxy.bytesDown',
    unit: 'bytes',
    label: 'proxy bytes down',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: false,
    csv: 'proxy_bytes_down',
  },
  {
    kind: 'measured',
    id: 'proxy.processes',
    path: 'proxy.processes',
    unit: 'count',
    label: 'proxy processes',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: false,
    csv: 'proxy_processes',
  },
  // A real nginx in front (intermediary: nginx): what the hop costs, and the responses it cut for silence.
  {
    kind: 'measured',
    id: 'nginx.cpuMs',
    path: 'nginx.cpuMs',
    unit: 'cpu-ms',
    label: 'nginx CPU (ms)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'nginx_cpu_ms',
  },
  {
    kind: 'measured',
    id: 'nginx.rssBytes',
    path: 'nginx.rssBytes',
    unit: 'bytes',
    label: 'nginx RSS',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'nginx_rss_bytes',
  },
  {
    kind: 'measured',
    id: 'nginx.readTimeouts',
    path: 'nginx.readTimeouts',
    unit: 'count',
    label: 'responses nginx cut idle',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'nginx_read_timeouts',
  },
  // A broker's transport: what the broker kept for consumers that were slow or away.
  {
    kind: 'measured',
    id: 'brokerHeld.peak',
    path: 'brokerHeld.peak',
    unit: 'count',
    label: 'broker held (peak)',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'broker_held_peak',
  },
  {
    kind: 'measured',
    id: 'brokerHeld.atEnd',
    path: 'brokerHeld.atEnd',
    unit: 'count',
    label: 'broker held (window end)',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'broker_held_at_end',
  },

  // Clients that go offline (clients.offline): only in results of scenarios that have it.
  ...offlineFigures(),

  // The CSV carries the model's half; the measured half is a figure of its own above.
  {
    kind: 'model',
    id: 'model.meanLatencyMs',
    path: 'model.meanLatencyMs',
    unit: 'ms',
    label: 'mean latency (ms)',
    optional: true,
    shown: true,
    csv: 'model_mean_latency_ms',
  },
  {
    kind: 'model',
    id: 'model.emptyFraction',
    path: 'model.emptyFraction',
    unit: 'fraction',
    label: 'empty responses',
    optional: true,
    shown: true,
    csv: 'model_empty_fraction',
  },
  {
    kind: 'model',
    id: 'model.requestsPerDelivery',
    path: 'model.requestsPerDelivery',
    unit: 'ratio',
    label: 'requests per delivery',
    optional: true,
    shown: true,
    csv: 'model_requests_per_delivery',
  },
  {
    kind: 'model',
    id: 'model.bytesPerDelivery',
    path: 'model.bytesPerDelivery',
    unit: 'bytes',
    label: 'bytes per delivery',
    optional: true,
    shown: true,
    csv: 'model_bytes_per_delivery',
  },

  // Clients that fall behind (scenario clients.consume): present only when the scenario has them.
  // Their count and due deliveries follow from the scenario; what they lost and how late they were is the figure.
  {
    kind: 'measured',
    id: 'slowClients.clients',
    path: 'slowClients.clients',
    unit: 'count',
    label: 'slow clients',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: true,
    csv: 'slow_clients',
  },
  {
    kind: 'measured',
    id: 'slowClients.expected',
    path: 'slowClients.expected',
    unit: 'count',
    label: 'slow clients: events expected',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: true,
    csv: 'slow_clients_events_expected',
  },
  {
    kind: 'measured',
    id: 'slowClients.delivered',
    path: 'slowClients.delivered',
    unit: 'count',
    label: 'slow clients: events delivered',
    direction: 'none',
    noise: 'exact',
    optional: true,
    shown: true,
    csv: 'slow_clients_events_delivered',
  },
  {
    kind: 'measured',
    id: 'slowClients.lost',
    path: 'slowClients.lost',
    unit: 'count',
    label: 'slow clients: events lost',
    direction: 'lower',
    noise: 'exact',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_events_lost',
  },
  {
    kind: 'measured',
    id: 'slowClients.latency.p50',
    path: 'slowClients.latencyMs.p50',
    unit: 'ms',
    label: 'slow clients: latency p50 (ms)',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_latency_p50_ms',
  },
  {
    kind: 'measured',
    id: 'slowClients.latency.p99',
    path: 'slowClients.latencyMs.p99',
    unit: 'ms',
    label: 'slow clients: latency p99 (ms)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_latency_p99_ms',
  },
  // The others' latency beside theirs: does one slow reader hold back the server's fan-out to the rest?
  {
    kind: 'measured',
    id: 'slowClients.othersLatency.p50',
    path: 'slowClients.othersLatencyMs.p50',
    unit: 'ms',
    label: 'other clients: latency p50 (ms)',
    direction: 'lower',
    noise: 'timing',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_others_latency_p50_ms',
  },
  {
    kind: 'measured',
    id: 'slowClients.othersLatency.p99',
    path: 'slowClients.othersLatencyMs.p99',
    unit: 'ms',
    label: 'other clients: latency p99 (ms)',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_others_latency_p99_ms',
  },
  // What the server did about readers that fall behind (streaming transports; null for pull).
  {
    kind: 'measured',
    id: 'slowClients.server.pauses',
    path: 'slowClients.server.pauses',
    unit: 'count',
    label: 'slow clients: server pauses',
    direction: 'none',
    noise: 'volatile',
    optional: true,
    shown: true,
    csv: 'slow_clients_server_pauses',
  },
  {
    kind: 'measured',
    id: 'slowClients.server.skippedEvents',
    path: 'slowClients.server.skippedEvents',
    unit: 'count',
    label: 'slow clients: server skipped events',
    direction: 'lower',
    noise: 'exact',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_server_skipped_events',
  },
  {
    kind: 'measured',
    id: 'slowClients.server.disconnects',
    path: 'slowClients.server.disconnects',
    unit: 'count',
    label: 'slow clients: server disconnects',
    direction: 'lower',
    noise: 'exact',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_server_disconnects',
  },
  {
    kind: 'measured',
    id: 'slowClients.server.maxSocketBufferedBytes',
    path: 'slowClients.server.maxSocketBufferedBytes',
    unit: 'bytes',
    label: 'slow clients: fullest send queue',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: true,
    threshold: true,
    csv: 'slow_clients_server_max_socket_buffered_bytes',
  },
  {
    kind: 'measured',
    id: 'slowClients.server.bufferedBytes',
    path: 'slowClients.server.bufferedBytes',
    unit: 'bytes',
    label: 'slow clients: send queues',
    direction: 'lower',
    noise: 'volatile',
    optional: true,
    shown: false,
    csv: 'slow_clients_server_buffered_bytes',
  },
] as const satisfies readonly FigureDefinition[];

/** The catalog, typed as its entries' common shape. */
export const FIGURE_CATALOG: readonly FigureDefinition[] = CATALOG;

type Entry = (typeof CATALOG)[number];
export type FigureId = Entry['id'];
/** Every result.csv column a figure fills. */
export type FigureCsvColumn = Extract<Entry, { csv: string }>['csv'];
/** Every path the catalog reads in a transport's result (for the type check against the result model). */
export type FigurePath = Extract<Entry, { kind: 'measured' | 'model' }>['path'] | Extract<Entry, { kind: 'quotient' }>['numerator' | 'denominator'];
/** Paths of the `{model, measured}` pairs. */
export type ModelPairPath = Extract<Entry, { kind: 'model' }>['path'];

/** The figure with this id, typed as its own entry. */
export function figureById<Id extends FigureId>(id: Id): Extract<Entry, { id: Id }> {
  const found = CATALOG.find((figure): figure is Extract<Entry, { id: Id }> => figure.id === id);
  if (!found) throw new RangeError(`no figure "${id}" in the catalog`);
  return found;
}
