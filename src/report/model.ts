import { z } from 'zod';
import { WARNING_CODE_LIST } from './warning-codes.js';

/**
 * The result model, schema version 1: the public contract of `result.json`.
 *
 * The zod schema is the single source: the TypeScript types are inferred from it, and every
 * field carries its unit in `.describe()` (which also reaches a generated JSON Schema).
 * Values that could not be measured are `null`, never 0 and never left out, so a reader
 * can tell "nothing happened" from "not known".
 */

const count = (what: string) => z.number().int().nonnegative().describe(`${what}. Count.`);
const ms = (what: string) => z.number().nullable().describe(`${what}, milliseconds; null when nothing was recorded.`);
const bytes = (what: string) => z.number().nonnegative().describe(`${what}, bytes.`);

/** Percentile summary of an HDR histogram, ms; all values null when `count` is 0. */
const SummaryMsSchema = z
  .object({
    min: ms('Smallest value'),
    mean: ms('Arithmetic mean'),
    p50: ms('Median'),
    p90: ms('90th percentile'),
    p99: ms('99th percentile'),
    p999: ms('99.9th percentile'),
    max: ms('Largest value'),
    count: count('Values recorded'),
  })
  .describe('Histogram summary in milliseconds (3 significant digits of resolution).');

/**
 * A code of WARNING_CODES, or, read from a result.json, one this build does not know: a newer
 * push-bench may have added it, and a reader must still show it. The brand keeps producers
 * here from writing an unlisted code (a plain string literal does not fit it).
 */
const WarningCodeSchema = z
  .union([z.enum(WARNING_CODE_LIST), z.string().min(1).brand<'UnlistedWarningCode'>()])
  .describe('Stable machine-readable code, kebab-case, e.g. "generator-saturated" (docs/metrics.md lists them).');

export const WarningSchema = z
  .object({
    code: WarningCodeSchema,
    message: z.string().describe('Human sentence: what happened and what to do.'),
    transport: z.string().optional().describe('The transport it concerns; absent for run-wide warnings.'),
  })
  .describe('A warning, kept as data as well as printed.');

const EventsSchema = z
  .object({
    published: count('Events the publisher sent in the measured window (each once, whatever its audience)'),
    expected: count('Event deliveries due in the window, summed over clients (an event to all of n clients counts n)'),
    delivered: count('Unique deliveries seen by clients in the window'),
    lost: count('expected − delivered'),
    duplicated: count('Extra copies seen (a client seeing one event n times adds n − 1)'),
    reordered: count('Deliveries first seen after a higher sequence number of the same client'),
  })
  .describe("Delivery accounting; windowed by each event's intended publish time.");

const RequestsSchema = z
  .object({
    total: count('HTTP requests sent by clients: polls, long-polls, SSE connects and reconnects, WebSocket handshakes'),
    empty: count('Responses that brought no event (empty polls, long-poll timeouts)'),
    failed: count('Responses with an error status (4xx, 5xx, a refused handshake): failures, never counted as empty')
      .optional()
      .describe(
        'Responses with an error status (4xx, 5xx, a refused handshake), never counted as empty. Count. Absent in results written before push-bench 0.2.',
      ),
    reconnects: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'Connections that had worked and dropped (closed by the server, a proxy or nginx, or reset); the client reconnects unless it gave up. Count. Absent in results written before push-bench 0.3.',
      ),
    perDelivery: z.number().nonnegative().nullable().describe('total / events.delivered; null when nothing was delivered.'),
  })
  .describe('Requests in the measured window.');

const FramesSchema = z
  .object({
    up: count('WebSocket frames client → server'),
    down: count('WebSocket frames server → client'),
  })
  .describe('WebSocket frames in the measured window; WebSocket only.');

const BytesSchema = z
  .object({
    up: bytes('Client → server bytes on the client sockets in the measured window, headers and framing included'),
    down: bytes('Server → client bytes on the client sockets in the measured window'),
    perDelivery: z.number().nonnegative().nullable().describe('(up + down) / events.delivered, bytes; null when nothing was delivered.'),
    overheadRatio: z
      .number()
      .nonnegative()
      .nullable()
      .describe('(up + down) / payloadBytesDelivered, ratio (1 = no overhead); null when no payload was delivered.'),
    phase: z
      .object({
        up: bytes('Client → server bytes over the whole phase, first connect to last disconnect'),
        down: bytes('Server → client bytes over the whole phase'),
      })
      .describe('Whole-phase byte counts, to check against a packet capture.'),
  })
  .describe('Bytes on the wire (socket.bytesWritten / bytesRead).');

const ServerUsageSchema = z
  .object({
    cpuMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe('Reference server CPU time (user + system) in the measured window, ms; null when not measured (external target).'),
    rssPeakBytes: z.number().nonnegative().nullable().describe('Reference server peak resident set size, bytes; null when not measured.'),
    elu: z.number().min(0).max(1).nullable().describe('Reference server event-loop utilisation, 0..1; null when not measured.'),
    heartbeats: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .optional()
      .describe(
        'Heartbeats the server sent on idle connections (SSE comments, WebSocket pings), each a wake-up of a client. Count. Push transports only; null when not measured.',
      ),
    heartbeatBytes: z
      .number()
      .nonnegative()
      .nullable()
      .optional()
      .describe(
        'Bytes the heartbeats took on the wire, both ways (what the server wrote for them, framing included, and the WebSocket pongs it read), bytes. Push transports only; null when not measured.',
      ),
    processes: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe(
        'Server processes whose figures are summed in cpuMs and rssPeakBytes (rssPeakBytes: the sum of each process peak; elu: the busiest process). Count. Only with several processes.',
      ),
    cpuMsMin: z.number().nonnegative().nullable().optional().describe('CPU time of the least busy server process, ms. Only with several processes.'),
    cpuMsMax: z.number().nonnegative().nullable().optional().describe('CPU time of the busiest server process, ms. Only with several processes.'),
    rssPeakBytesMin: z.number().nonnegative().nullable().optional().describe('Smallest peak RSS of one server process, bytes. Only with several processes.'),
    rssPeakBytesMax: z.number().nonnegative().nullable().optional().describe('Largest peak RSS of one server process, bytes. Only with several processes.'),
    eluMin: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .optional()
      .describe('Event-loop utilisation of the least busy server process, 0..1. Only with several processes.'),
  })
  .describe('Cost of the reference server during the measured window.');

const ClientUsageSchema = z
  .object({
    cpuMs: z.number().nonnegative().nullable().describe('Client processes CPU time (user + system), summed, ms.'),
    rssPeakBytes: z.number().nonnegative().nullable().describe("Sum of each client process's peak resident set size, bytes."),
    elu: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('Highest event-loop utilisation of any client process, 0..1; near 1 means the generator, not the transport, is the limit.'),
    processes: count('Client processes'),
  })
  .describe('Health of the load generator (the client processes).');

const ProxyUsageSchema = z
  .object({
    processes: count('Shaping proxy processes (one per client process)'),
    cpuMs: z.number().nonnegative().nullable().describe('Shaping proxy CPU time (user + system) in the measured window, summed over its processes, ms.'),
    rssPeakBytes: z.number().nonnegative().nullable().describe("Sum of each proxy process's peak resident set size in the window, bytes."),
    elu: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('Highest event-loop utilisation of any proxy process in the window, 0..1; near 1 means the proxy, not the transport, is the limit.'),
    connections: count('Connections the proxies accepted in the window (first connects and reconnects)'),
    bytesUp: bytes('Client → server bytes the proxies forwarded in the window'),
    bytesDown: bytes('Server → client bytes the proxies forwarded in the window'),
    pauses: count('Times a proxy stopped reading one side because its queue was full: the shaped link was the bottleneck'),
    idleCuts: count('Connections the idle timeout (intermediary.idleTimeout) closed in the window'),
  })
  .describe('The shaping proxy between clients and server (scenario network / intermediary), in the measured window.');

const NginxUsageSchema = z
  .object({
    cpuMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe("nginx's CPU time (user + system, master and worker) in the measured window, ms; null when /proc could not tell."),
    rssBytes: z
      .number()
      .nonnegative()
      .nullable()
      .describe("nginx's resident memory (master and worker, summed) at the window's end, bytes; null when /proc could not tell."),
    readTimeouts: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe(
        'HTTP responses (SSE streams, long polls) nginx cut in the window because the server was silent for proxy_read_timeout. Count; WebSockets cut so show as reconnects.',
      ),
  })
  .describe('The real nginx in front of the reference server (intermediary: nginx), in the measured window.');

const BackplaneUsageSchema = z
  .object({
    kind: z.enum(['redis', 'nats']).describe('The backplane program: redis (redis-server, pub/sub) or nats (nats-server, core subjects).'),
    cpuMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe("The backplane server's CPU time (user + system) in the measured window, ms; null when /proc could not tell."),
    rssPeakBytes: z
      .number()
      .nonnegative()
      .nullable()
      .describe("The backplane server's peak resident set size in the measured window, bytes; null when /proc could not tell."),
  })
  .describe('The Redis or NATS server that carried the events to the server processes (server.backplane), in the measured window.');

const BrokerHeldSchema = z
  .object({
    peak: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe(
        'The most messages the broker held for the clients at one sampling in the measured window (queued, not yet taken). Count; null when it could not tell.',
      ),
    atEnd: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe("Messages the broker held for the clients at the window's end. Count; null when it could not tell."),
    series: z
      .array(
        z.object({
          atMs: z.number().describe('Time from the start of the measured window, ms (negative in the warm-up).'),
          messages: z.number().int().nonnegative().describe('Messages the broker held then. Count.'),
        }),
      )
      .describe('Every sampling (about one a second, from the warm-up to the end of the window): what the broker held over time.'),
  })
  .describe('What a broker held for its clients over the phase: messages queued for slow and offline consumers.');

const ModelPairSchema = z
  .object({
    model: z.number().nullable().describe('Value the model predicts, in the unit of the figure; null when the model has nothing to say.'),
    measured: z.number().nullable().describe('Value measured, same unit; null when not measured.'),
  })
  .describe('A modelled figure beside the measured one.');

const ModelSchema = z
  .object({
    meanLatencyMs: ModelPairSchema.optional().describe('Mean delivery latency, ms.'),
    emptyFraction: ModelPairSchema.optional().describe('Empty responses / requests, 0..1.'),
    requestsPerDelivery: ModelPairSchema.optional().describe('Requests per delivered event.'),
    bytesPerDelivery: ModelPairSchema.optional().describe('Bytes on the client sockets per delivered event. Absent in results of older versions.'),
  })
  .describe('Model vs measured: the pull transports, and the push transports (their latency over an emulated link only; see docs/metrics.md).');

const nullableCount = (what: string) => z.number().int().nonnegative().nullable().describe(`${what}. Count; null where it does not apply.`);
const nullableBytes = (what: string) => z.number().nonnegative().nullable().describe(`${what}, bytes; null where it does not apply.`);
const percentilesMs = (whose: string) =>
  z
    .object({ p50: ms(`Median delivery latency of the ${whose}`), p99: ms(`99th percentile delivery latency of the ${whose}`) })
    .describe(`Delivery latency of the ${whose}, ms: when the client got to the event − its intended publish time.`);

const SlowClientsServerSchema = z
  .object({
    pauses: nullableCount(
      "Times a stream of this transport waited because its socket's user-space queue passed the server's slowConsumer.maxBufferedBytes (TCP backpressure reached the server)",
    ),
    skippedEvents: nullableCount('Events a blocked stream skipped because retention dropped them before it could send them (the client got a gap marker)'),
    disconnects: nullableCount('Streams the server closed because they stayed blocked past slowConsumer.stallTimeoutMs'),
    bufferedBytes: nullableBytes("Bytes queued in user space on this transport's sockets at the end of the window, all clients"),
    maxSocketBufferedBytes: nullableBytes('Bytes queued in user space on the fullest socket at the end of the window'),
  })
  .describe(
    "What the reference server did about readers that fall behind, over all of this transport's connections in the window. Streaming transports (SSE, WebSocket) only: null for polling and long polling, whose events wait in the client's log on the server, nothing per connection; null too when not measured. Memory growth shows in server.rssPeakBytes.",
  );

const SlowClientsSchema = z
  .object({
    clients: count('Clients that consume slowly (clients.slow of clients.count)'),
    expected: count("Deliveries due to the slow clients in the window, from the seeded schedule's recipients"),
    delivered: count('Unique in-window deliveries the slow clients got to before the drain ended'),
    lost: count('expected − delivered of the slow clients: events they never got to (dropped by the server, or still queued when the run ended)'),
    latencyMs: percentilesMs('slow clients'),
    othersLatencyMs: percentilesMs('other clients (those that keep up)'),
    server: SlowClientsServerSchema,
  })
  .describe('Clients that fall behind (scenario clients.consume); present only when the scenario has some.');

const SpreadSchema = z
  .object({
    n: count('Repeats that measured this figure'),
    min: z.number().describe("Smallest value over the repeats, in the figure's unit."),
    max: z.number().describe("Largest value over the repeats, in the figure's unit."),
    ciLow: z.number().nullable().describe("Lower end of the 95 % confidence interval of the mean (Student t), figure's unit; null when n < 3."),
    ciHigh: z.number().nullable().describe("Upper end of the 95 % confidence interval of the mean, figure's unit; null when n < 3."),
  })
  .describe('Spread of one figure over repeats.');

const OfflineSchema = z
  .object({
    episodes: count('Offline episodes that began in the measured window, over all clients'),
    expected: count(
      'Deliveries of the window intended while their client was offline, from the seeded offline and publish schedules (exact, part of events.expected)',
    ),
    recovered: count('Of `expected`, the deliveries that arrived all the same (after the return); unique'),
    lost: count('expected − recovered: never delivered (dropped by retention, or a transport that cannot resume)'),
    recoverMs: SummaryMsSchema.describe(
      "Time to recover: the client's return → the first event it had missed (or the gap marker saying it is gone) arriving, ms; one sample per episode that missed something.",
    ),
    recoveredLatencyMs: SummaryMsSchema.describe('Latency of the recovered deliveries from their intended publish time, ms: the offline time shows here.'),
    serverHeartbeatCloses: z
      .number()
      .int()
      .nonnegative()
      .nullable()
      .describe(
        'Connections the reference server closed in the window because a heartbeat went unanswered (a WebSocket ping without pong: a silent client found out). Count. null when not measured (the server died).',
      ),
    serverHalfOpenMeanMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe(
        'Over those closes: time from what the server last heard from the client (its latest pong, or the open) to the close, i.e. how long it held a connection nobody answered on, mean, ms; null when it closed none or was not measured.',
      ),
    serverHalfOpenMaxMs: z.number().nonnegative().nullable().describe('The longest of those times, ms; null when the server closed none or was not measured.'),
  })
  .describe('Clients that go offline and come back (`clients.offline`); present only when the scenario has it.');

const perSecond = (what: string) => z.array(z.number()).describe(`${what}; one entry per second.`);
const perSecondOrNull = (what: string) => z.array(z.number().nullable()).describe(`${what}; one entry per second, null when not known for that second.`);

const SeriesSchema = z
  .object({
    intervalMs: z
      .number()
      .positive()
      .describe("Length of one entry, ms (1000): entry i covers [i, i + 1) × intervalMs from the origin, the clients' ramp start."),
    phases: z
      .array(
        z.object({
          name: z.enum(['connect', 'warm-up', 'measure', 'drain', 'disconnect']).describe('The step of the phase.'),
          startMs: z.number().nonnegative().describe('Start, ms from the origin.'),
          endMs: z.number().nonnegative().describe('End (exclusive), ms from the origin.'),
        }),
      )
      .describe('The steps of the phase, in order, to shade a chart by.'),
    deliveries: perSecond('First sightings of events that arrived in that second, whatever their intended time (warm-up and drain included). Count'),
    counted: perSecond('Of those, events intended inside the measured window: they sum to events.delivered. Count'),
    latencyP50Ms: perSecondOrNull(
      "Median latency (arrival − intended publish time) of that second's deliveries, from that second's HDR histogram, ms; null when none arrived",
    ),
    latencyP99Ms: perSecondOrNull("99th percentile latency of that second's deliveries, ms; null when none arrived"),
    latencyMaxMs: perSecondOrNull("Largest latency of that second's deliveries, ms; null when none arrived"),
    connected: perSecondOrNull('Clients up at the end of that second (connected and not dropped since), summed over the client processes. Count'),
    requests: perSecond('Requests the clients sent in that second. Count'),
    bytesDown: perSecond('Bytes read on the client sockets in that second, bytes'),
    bytesUp: perSecond('Bytes written on the client sockets in that second, bytes'),
    clientEluMax: perSecondOrNull("The busiest client process's event-loop utilisation over that second, 0..1"),
    serverCpuPct: perSecondOrNull("The server's CPU time (user + system) per wall time over that second, % of one core; null without /stats"),
    serverRssBytes: perSecondOrNull("The server's resident set size at that second's reading, bytes; null without /stats"),
    serverElu: perSecondOrNull("The server's event-loop utilisation over that second, 0..1; null without /stats"),
    failures: z
      .record(z.string(), perSecond('Failures of this kind in that second. Count'))
      .describe('Client failures per second by kind (connect, request, protocol, disconnect); only kinds that occurred.'),
  })
  .describe('The whole phase second by second (connect to disconnect), from every client process and the server. Absent in results of older versions.');

export const TransportResultSchema = z
  .object({
    transport: z.string().min(1).describe('Transport name as in the scenario, e.g. "polling", "sse".'),
    clients: count('Simulated clients'),
    durationMs: z.number().nonnegative().describe('Length of the measured window, ms.'),
    events: EventsSchema,
    latencyMs: SummaryMsSchema.describe('Delivery latency: client saw it − intended publish time, ms.'),
    publishLagMs: SummaryMsSchema.describe('Publish lag: server fanned it out − intended publish time, ms.'),
    connectMs: SummaryMsSchema.describe('Connect time: request sent → connection usable, ms.'),
    requests: RequestsSchema,
    frames: FramesSchema.optional(),
    bytes: BytesSchema,
    payloadBytesDelivered: bytes('Payload bytes of the delivered events'),
    server: ServerUsageSchema,
    client: ClientUsageSchema,
    proxy: ProxyUsageSchema.optional().describe(
      'Present when the scenario shapes the link (network) or sets an intermediary: the cost of the emulation itself.',
    ),
    backplane: BackplaneUsageSchema.optional().describe(
      'Present when a Redis or NATS server carried the events between server processes (server.backplane): its own cost.',
    ),
    nginx: NginxUsageSchema.optional().describe('Present when the scenario puts a real nginx in front of the server (intermediary: nginx): its own cost.'),
    brokerHeld: BrokerHeldSchema.optional().describe("Present for a broker's transport (amqp-consume, amqp-get, mqtt): the messages it held for the clients."),
    model: ModelSchema.optional(),
    offline: OfflineSchema.optional(),
    slowClients: SlowClientsSchema.optional(),
    latencyHistogram: z
      .string()
      .optional()
      .describe(
        "The measured window's whole delivery-latency HDR histogram (values in ns, 1 µs to 1 h, 3 significant digits), HdrHistogram V2 compressed base64 (hdr-histogram-js decodeFromCompressedBase64): CDFs and merges use it. With --repeat, all repeats merged. Absent in results of older versions.",
      ),
    series: SeriesSchema.optional(),
    spread: z
      .record(z.string(), SpreadSchema)
      .optional()
      .describe(
        'With --repeat N (N ≥ 2): per numeric figure (dotted path, e.g. "latencyMs.p99"), its spread over the repeats; the figure itself is then the median.',
      ),
    warnings: z.array(WarningSchema).describe("Warnings about this transport's numbers."),
  })
  .describe('Everything measured for one transport.');

const EnvironmentSchema = z
  .object({
    node: z.string().describe('Node.js version, e.g. "v20.20.0".'),
    os: z.string().describe('os.platform() and release, e.g. "linux 6.8.0".'),
    arch: z.string().describe('CPU architecture, e.g. "x64".'),
    cpus: count('Logical CPUs'),
    cpuModel: z.string().describe('CPU model name.'),
    totalMemoryBytes: bytes('Total physical memory'),
    hostname: z.string().optional().describe('Host name; left out unless asked for, as results get shared.'),
  })
  .describe('Where the run ran.');

const ThresholdResultSchema = z
  .object({
    expr: z.string().describe('The threshold as written in the scenario, e.g. "websocket.latency.p99 < 50ms".'),
    actual: z.number().nullable().describe("The measured value, in the figure's base unit (ms, bytes, count); null when not measured."),
    ok: z.boolean().describe('Whether the threshold held; a missing value does not hold.'),
  })
  .describe('A threshold and its outcome.');

const ClockSchema = z
  .object({
    reference: z.string().describe('Whose clock the segments align on: the shared server, GET /clock (docs/protocol.md).'),
    offsetMs: z
      .number()
      .nullable()
      .describe("The server's monotonic clock minus this machine's, ms, from the exchange with the smallest round trip; null when the server has no /clock."),
    uncertaintyMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe('Half that smallest round trip, ms: the offset (and so the agreed start) is right to within it; null when not measured.'),
    samples: count('Clock exchanges made (best of them kept)'),
  })
  .describe("This segment's clock against the shared server's (NTP-style exchange, best of many round trips).");

const SegmentPlaceSchema = z.object({
  index: z.number().int().positive().describe('This segment, 1 … count.'),
  count: z.number().int().positive().describe('Segments of the run.'),
  firstClient: count("Global index of the segment's first client (its clients are firstClient … firstClient + clients − 1)"),
  clients: count('Clients this segment held'),
  fleetClients: count('Clients of the whole run, all segments together'),
  startAt: z.iso.datetime({ offset: true }).describe("The agreed start of the publish schedule (--start-at), on the shared server's wall clock."),
  clock: ClockSchema,
});

const countsRecord = (what: string) => z.record(z.string(), z.number()).describe(`${what}: counters by name, as the client processes report them.`);

const SegmentTransportSchema = z
  .object({
    transport: z.string().min(1).describe('The run name, as in transports[].transport.'),
    framed: z.boolean().describe('Whether the transport counts WebSocket frames.'),
    durationMs: z.number().nonnegative().describe('Length of the measured window, ms.'),
    scheduled: z
      .object({
        published: count("Events of the whole run's schedule intended in the window (every segment computes the same)"),
        expected: count("Deliveries the whole run's schedule makes in the window, all clients of all segments"),
      })
      .describe('The whole run, from the seeded schedule: what the segments must add up to.'),
    published: count('Events this segment published in the window (those with a recipient among its clients)'),
    expected: count("Deliveries due to this segment's clients in the window"),
    clients: z
      .object({
        clients: count('Clients covered'),
        deliveries: countsRecord('Delivery counts'),
        requests: countsRecord('Request counts'),
        bytes: countsRecord('Wire bytes'),
        latency: z.string().describe('Delivery latency HDR histogram (ns values), compressed base64.'),
        latencyClamped: count('Latencies clamped into the histogram'),
        connect: z.string().describe('Connect-time HDR histogram (ns values), compressed base64.'),
        usage: countsRecord('Client process usage (cpuMs, rssPeakBytes, elu, processes)'),
      })
      .describe("Every client process's raw figures merged: what push-bench merge adds to the other segments'."),
    publishLagHistogram: z.string().describe("Publish lag HDR histogram (ns values, on this machine's clock), compressed base64."),
    expectedFigures: z
      .record(z.string(), z.number().nullable())
      .nullable()
      .describe("The transport's model for the workload (the same in every segment); null without one."),
    runnerWarnings: z.array(WarningSchema).describe("The runner's own warnings about this segment's phase (the numbers' warnings are recomputed on merge)."),
  })
  .describe("One transport's raw measurements in a partial result: exact inputs for push-bench merge.");

const SegmentSchema = SegmentPlaceSchema.extend({
  transports: z.array(SegmentTransportSchema).describe('Raw measurements, one per transport run.'),
}).describe('Present in a partial result (run --segment I/N): which part of the run this is, and what push-bench merge needs to merge it exactly.');

const MergedSegmentsSchema = z
  .object({
    parts: z.array(SegmentPlaceSchema).describe('Every segment merged, in order.'),
    serverFiguresFrom: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe(
        "The segment whose reading of the shared server's /stats the server figures are (each segment reads the whole server, all segments' load; the first that has figures is kept); null when none had them.",
      ),
    clockUncertaintyMs: z
      .number()
      .nonnegative()
      .nullable()
      .describe('The largest clock uncertainty of any segment, ms; null when a segment could not measure it.'),
  })
  .describe('Present in a merged result (push-bench merge): the segments it was merged from.');

export const ResultSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Version of this format; bumped on any incompatible change.'),
    runId: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A unique id of the run (a UUID; the repeats of one run share it), e.g. to join CSV rows of several runs; absent in results of older versions.',
      ),
    tool: z
      .object({
        name: z.string().describe('Tool name: "push-bench".'),
        version: z.string().describe('Tool version (semver).'),
      })
      .describe('What produced the result.'),
    scenario: z.record(z.string(), z.unknown()).describe('The scenario as run, after defaults were applied.'),
    environment: EnvironmentSchema,
    target: z
      .object({
        url: z.string().describe('Base URL of the server under test.'),
        started: z
          .boolean()
          .optional()
          .describe(
            'true: the reference server push-bench started for the run; false: a server that was already running (--target), whose process figures push-bench reads only from its /stats, if it has one. Absent in results written before push-bench 0.3.',
          ),
        adapter: z
          .string()
          .optional()
          .describe(
            'What the server speaks: "contract" (push-bench\'s wire contract, docs/protocol.md) or the name of the adapter that translated it (e.g. "nchan"; docs/targets.md). Absent in results written before push-bench 0.3.',
          ),
        processes: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('Reference server processes the clients were spread over (server.processes). Count. Absent: one.'),
        backplane: z
          .enum(['direct', 'redis', 'nats'])
          .optional()
          .describe(
            'How events reached the server processes (server.backplane): direct, or through a Redis or NATS server started for the run. Absent: one process, direct.',
          ),
        retention: z
          .object({
            maxEventsPerClient: z
              .number()
              .int()
              .min(1)
              .describe('Events the reference server kept per client; older ones reached a late client as a gap. Count.'),
            maxAgeMs: z.number().min(0).describe('Events older than this were dropped for every client, ms.'),
          })
          .optional()
          .describe(
            'What the reference server kept for clients not yet served, sized to the scenario (docs/protocol.md, retention and gaps). Absent for a server push-bench did not start, and in older results.',
          ),
      })
      .describe('The server measured.'),
    brokers: z
      .array(
        z.object({
          kind: z.enum(['amqp', 'mqtt']).describe('The protocol: "amqp" (RabbitMQ; amqp-get, amqp-consume) or "mqtt" (mqtt).'),
          program: z.string().describe('What push-bench started ("RabbitMQ", "Mosquitto"), or the kind of broker given with --broker.'),
          url: z.string().describe('Where it listened, without user name or password (docs/brokers.md).'),
          started: z
            .boolean()
            .describe('true: started by push-bench for the run, its CPU and memory read from its process; false: your own (--broker), not measured.'),
        }),
      )
      .optional()
      .describe('The message brokers of the broker transports; absent when the run had none.'),
    startedAt: z.iso.datetime({ offset: true }).describe('Run start, ISO 8601 date-time.'),
    finishedAt: z.iso.datetime({ offset: true }).optional().describe('Run end, ISO 8601; absent while the run is still going or if it died.'),
    transports: z.array(TransportResultSchema).describe('One entry per transport, in the order they ran.'),
    thresholds: z.array(ThresholdResultSchema).describe('Threshold outcomes, in scenario order.'),
    warnings: z.array(WarningSchema).describe('Run-wide warnings.'),
    repeats: z
      .array(
        z.object({
          startedAt: z.iso.datetime({ offset: true }).describe('Start of this repeat, ISO 8601.'),
          transports: z.array(TransportResultSchema).describe("This repeat's own results, one per transport."),
        }),
      )
      .optional()
      .describe("With --repeat N (N ≥ 2): every repeat's own results, in run order; `transports` then holds each figure's median with its spread."),
    segment: SegmentSchema.optional(),
    segments: MergedSegmentsSchema.optional(),
  })
  .describe('A push-bench result (result.json).');

/** A push-bench result (result.json), schema version 1. */
export type Result = z.infer<typeof ResultSchema>;
/** Everything measured for one transport. */
export type TransportResult = z.infer<typeof TransportResultSchema>;
/** Histogram summary in ms; values null when count is 0. */
export type SummaryMs = z.infer<typeof SummaryMsSchema>;
/** A warning, kept as data. */
export type Warning = z.infer<typeof WarningSchema>;
/** A threshold and its outcome. */
export type ThresholdResult = z.infer<typeof ThresholdResultSchema>;
/** What the shaping proxies cost in one phase's window. */
export type ProxyUsage = z.infer<typeof ProxyUsageSchema>;
/** The backplane server's cost in the measured window. */
export type BackplaneUsage = z.infer<typeof BackplaneUsageSchema>;
/** The real nginx's cost in the measured window. */
export type NginxUsage = z.infer<typeof NginxUsageSchema>;
/** What a broker held for its clients over a phase. */
export type BrokerHeld = z.infer<typeof BrokerHeldSchema>;
/** A modelled figure beside the measured one. */
export type ModelPair = z.infer<typeof ModelPairSchema>;
/** Clients that fall behind, and what the server did about them. */
export type SlowClients = z.infer<typeof SlowClientsSchema>;
/** A transport's phase second by second. */
export type Series = z.infer<typeof SeriesSchema>;
/** One transport's raw measurements in a partial result (run --segment). */
export type SegmentTransport = z.infer<typeof SegmentTransportSchema>;
/** A partial result's place in the run and its raw measurements. */
export type SegmentPart = z.infer<typeof SegmentSchema>;
/** Spread of one figure over repeats. */
export type Spread = z.infer<typeof SpreadSchema>;

/** Validates unknown data (e.g. a parsed result.json) as a Result; throws a ZodError listing every problem. */
export function parseResult(data: unknown): Result {
  return ResultSchema.parse(data);
}
