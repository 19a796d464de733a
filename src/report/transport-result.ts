import { figureById } from '../figures/catalog.js';
import { figureValue } from '../figures/read.js';
import type { ExpectedFigures } from '../metrics/model.js';
import { summarizeEncoded, type HistogramSummary } from '../metrics/histogram.js';
import type { OfflineSnapshot } from '../metrics/offline.js';
import type { ClientSnapshot } from '../metrics/snapshot.js';
import type { TransportSeries } from '../metrics/series.js';
import type { BrokerHeld, ModelPair, NginxUsage, BackplaneUsage, ProxyUsage, SlowClients, TransportResult, Warning } from './model.js';
import type { WarningCode } from './warning-codes.js';

/** Event-loop utilisation above which a client process (or a shaping proxy) is the bottleneck, 0..1. */
const GENERATOR_SATURATED_ELU = 0.9;

/** The reference server's heartbeat closes in the window (its /stats counters); null when unknown. */
export interface ServerHeartbeatCloses {
  closes: number;
  /** Time since the server last heard from the client, summed over the closes, ms. */
  silenceMsTotal: number;
  silenceMsMax: number;
}

/** What the runner measured for one transport, before it becomes a TransportResult. */
export interface TransportMeasurements {
  transport: string;
  /** Whether the transport's clients count frames (its module says so); the result then carries `frames`. */
  framed: boolean;
  /** Measured window length, ms. */
  durationMs: number;
  /** Events published in the window. Count. */
  published: number;
  /** Deliveries due in the window, summed over clients. Count. */
  expected: number;
  /** All client processes' snapshots merged (`mergeAllSnapshots`). */
  clients: ClientSnapshot;
  /** Publish lag summary, ms (from the publisher's histogram). */
  publishLagMs: HistogramSummary;
  /**
   * In a chat the clients send, and publish lag is the send lag: it holds the up path on purpose,
   * so the warning looks only at what exceeds `upPathMs` (the emulated link's up latency, 0 on loopback).
   */
  sentByClients?: { upPathMs: number };
  /** Reference server cost in the window; null fields when not measured. */
  server: TransportResult['server'];
  /** The model's figures, when the transport has a model for this workload. */
  expectedFigures?: ExpectedFigures | null;
  /** The shaping proxies' cost in the window, when the scenario shapes the link. */
  proxy?: ProxyUsage;
  /** The real nginx in front (intermediary: nginx), in the window. */
  nginx?: NginxUsage;
  /** The Redis or NATS server between the server processes (server.backplane), in the window. */
  backplane?: BackplaneUsage;
  /** What the broker held for the clients (a broker's transport). */
  brokerHeld?: BrokerHeld;
  /** The phase second by second (absent in tests that build a result by hand). */
  series?: TransportSeries;
  /** Warnings the runner already has for this transport. */
  warnings?: Warning[];
  /** With offline clients: what the client processes saw, what the schedule says was due while offline, what the server closed. */
  offline?: { seen: OfflineSnapshot; expected: number; server: ServerHeartbeatCloses | null };
  /** Clients that fall behind (scenario clients.consume); absent when every client keeps up. */
  slow?: SlowClientMeasurements;
}

/** The slow clients' own accounting, split from the others' in the client processes. */
export interface SlowClientMeasurements {
  /** Slow clients in the fleet. Count. */
  clients: number;
  /** Deliveries due to them in the window, from the schedule. Count. */
  expected: number;
  /** Unique in-window deliveries they got to. Count. */
  delivered: number;
  /** Their delivery latency histogram (ns values), encoded. */
  latency: string;
  /** The other clients' delivery latency histogram (ns values), encoded. */
  othersLatency: string;
  /** What the server did about readers that fall behind; null fields where that does not apply or was not measured. */
  server: SlowClients['server'];
}

function perDelivery(total: number, delivered: number): number | null {
  return delivered > 0 ? total / delivered : null;
}

/** Derives every figure of a TransportResult (definitions: docs/metrics.md) and its warnings. */
export function buildTransportResult(input: TransportMeasurements): TransportResult {
  const { clients: snapshot } = input;
  const { delivered } = snapshot.deliveries;
  const wireBytes = snapshot.bytes.up + snapshot.bytes.down;
  const latencyMs = summarizeEncoded(snapshot.latency);
  const result: TransportResult = {
    transport: input.transport,
    clients: snapshot.clients,
    durationMs: input.durationMs,
    events: {
      published: input.published,
      expected: input.expected,
      delivered,
      lost: Math.max(0, input.expected - delivered),
      duplicated: snapshot.deliveries.duplicated,
      reordered: snapshot.deliveries.reordered,
    },
    latencyMs,
    publishLagMs: input.publishLagMs,
    connectMs: summarizeEncoded(snapshot.connect),
    requests: {
      total: snapshot.requests.total,
      empty: snapshot.requests.empty,
      failed: snapshot.requests.failed,
      reconnects: snapshot.requests.reconnects,
      perDelivery: perDelivery(snapshot.requests.total, delivered),
    },
    bytes: {
      up: snapshot.bytes.up,
      down: snapshot.bytes.down,
      perDelivery: perDelivery(wireBytes, delivered),
      overheadRatio: snapshot.deliveries.payloadBytes > 0 ? wireBytes / snapshot.deliveries.payloadBytes : null,
      phase: { up: snapshot.bytes.phaseUp, down: snapshot.bytes.phaseDown },
    },
    payloadBytesDelivered: snapshot.deliveries.payloadBytes,
    server: input.server,
    client: { ...snapshot.usage },
    ...(input.proxy ? { proxy: input.proxy } : {}),
    ...(input.nginx ? { nginx: input.nginx } : {}),
    ...(input.backplane ? { backplane: input.backplane } : {}),
    ...(input.brokerHeld ? { brokerHeld: input.brokerHeld } : {}),
    latencyHistogram: input.clients.latency,
    ...(input.series ? { series: input.series } : {}),
    warnings: [...(input.warnings ?? []), ...measurementWarnings(input)],
  };
  if (hasFrames(input)) result.frames = { up: snapshot.requests.framesUp, down: snapshot.requests.framesDown };
  if (input.expectedFigures) result.model = modelPairs(input.expectedFigures, result);
  if (input.offline) result.offline = offlineFigures(input.offline);

  if (input.slow) {
    result.slowClients = slowClientsOf(input.slow);
    result.warnings.push(...slowClientWarnings(input.transport, result.slowClients));
  }
  return result;
}

function offlineFigures({ seen, expected, server }: NonNullable<TransportMeasurements['offline']>): NonNullable<TransportResult['offline']> {
  const closed = server !== null && server.closes > 0;
  return {
    episodes: seen.episodes,
    expected,
    recovered: seen.recovered,
    lost: Math.max(0, expected - seen.recovered),
    recoverMs: summarizeEncoded(seen.recover),
    recoveredLatencyMs: summarizeEncoded(seen.recoveredLatency),
    serverHeartbeatCloses: server?.closes ?? null,
    serverHalfOpenMeanMs: closed ? server.silenceMsTotal / server.closes : null,
    serverHalfOpenMaxMs: closed ? server.silenceMsMax : null,
  };
}

function slowClientsOf(slow: SlowClientMeasurements): SlowClients {
  const percentiles = (encoded: string) => {
    const { p50, p99 } = summarizeEncoded(encoded);
    return { p50, p99 };
  };
  return {
    clients: slow.clients,
    expected: slow.expected,
    delivered: slow.delivered,
    lost: Math.max(0, slow.expected - slow.delivered),
    latencyMs: percentiles(slow.latency),
    othersLatencyMs: percentiles(slow.othersLatency),
    server: slow.server,
  };
}

/** Slow readers the server gave up on, or that lost events: the cost of falling behind, never silent. */
function slowClientWarnings(transportName: string, slow: SlowClients): Warning[] {
  const warnings: Warning[] = [];
  const disconnects = slow.server.disconnects ?? 0;
  if (disconnects > 0) {
    warnings.push({
      code: 'slow-clients-disconnected',
      transport: transportName,
      message: `the server closed ${disconnects} streams that stayed blocked past its slowConsumer.stallTimeoutMs: readers that fall behind were cut off (and reconnected).`,
    });
  }
  if (slow.lost > 0) {
    const share = slow.expected > 0 ? ` (${((slow.lost / slow.expected) * 100).toFixed(2)} %)` : '';
    warnings.push({
      code: 'slow-clients-lost-events',
      transport: transportName,
      message: `the ${slow.clients} slow clients never got to ${slow.lost} of their ${slow.expected} events${share}: skipped by the server (retention) or still queued when the drain ended.`,
    });
  }
  return warnings;
}

function hasFrames(input: TransportMeasurements): boolean {
  const { framesUp, framesDown } = input.clients.requests;
  return input.framed || framesUp + framesDown > 0;
}

function modelPairs(expected: ExpectedFigures, measured: TransportResult): NonNullable<TransportResult['model']> {
  const pair = (model: number | null, value: number | null | undefined): ModelPair => ({ model, measured: value ?? null });
  return {
    meanLatencyMs: pair(expected.meanLatencyMs, measured.latencyMs.mean),
    emptyFraction: pair(expected.emptyFraction, figureValue(figureById('requests.emptyFraction'), measured)),
    requestsPerDelivery: pair(expected.requestsPerDelivery, measured.requests.perDelivery),
    bytesPerDelivery: pair(expected.bytesPerDelivery, measured.bytes.perDelivery),
  };
}

/** Warnings the numbers themselves call for: nothing questionable passes silently. */
function measurementWarnings(input: TransportMeasurements): Warning[] {
  const { transport, clients: snapshot } = input;
  const warnings: Warning[] = [];
  const add = (code: WarningCode, message: string) => warnings.push({ code, message, transport });
  if (snapshot.deliveries.delivered > input.expected) {
    add(
      'delivered-exceeds-expected',
      `clients saw ${snapshot.deliveries.delivered} unique events but only ${input.expected} were due: the schedule and the server disagree; lost is shown as 0.`,
    );
  }
  if (snapshot.usage.elu >= GENERATOR_SATURATED_ELU) {
    add(
      'generator-saturated',
      `a client process had event-loop utilisation ${snapshot.usage.elu.toFixed(2)}: the numbers describe the load generator, not the transport; use more client processes or fewer clients.`,
    );
  }
  if (input.proxy?.elu != null && input.proxy.elu >= GENERATOR_SATURATED_ELU) {
    add(
      'proxy-saturated',
      `a shaping proxy process had event-loop utilisation ${input.proxy.elu.toFixed(2)}: the emulated link, not the transport, limited the run; use fewer clients or more client processes (one proxy each).`,
    );
  }
  if (snapshot.deliveries.gapReported > 0) {
    add('server-gaps', `the server reported ${snapshot.deliveries.gapReported} events it could no longer deliver (retention exceeded); they count as lost.`);
  }
  if (snapshot.latencyClamped > 0) {
    add('latency-clamped', `${snapshot.latencyClamped} latencies fell outside 0..1 h and were clamped into the histogram.`);
  }
  if (snapshot.requests.connectFailures > 0) {
    add('connect-failures', `${snapshot.requests.connectFailures} connection attempts failed.`);
  }
  const lost = input.expected - snapshot.deliveries.delivered;
  if (lost > 0) {
    add('events-lost', `${lost} of ${input.expected} expected deliveries never arrived (${((lost / input.expected) * 100).toFixed(2)} %).`);
  }
  const lagP99 = input.publishLagMs.p99;
  const upPathMs = input.sentByClients?.upPathMs ?? 0;
  if (lagP99 !== null && lagP99 - upPathMs > HIGH_PUBLISH_LAG_MS) {
    add(
      'publish-lag',
      input.sentByClients
        ? `send lag p99 is ${lagP99} ms${upPathMs > 0 ? ` (${upPathMs} ms of it the link's way up)` : ''}: the senders, their way up or the server's fan-out fell behind the schedule; latencies include that delay.`
        : `publish lag p99 is ${lagP99} ms: the publisher or the server's fan-out fell behind the schedule; latencies include that delay.`,
    );
  }
  const samples = snapshot.deliveries.delivered;
  if (samples > 0 && samples < MIN_SAMPLES_P999) {
    const shown = samples < MIN_SAMPLES_P99 ? 'p99 and p99.9 are' : 'p99.9 is';
    add('few-samples', `only ${samples} latency samples: ${shown} little more than the maximum; run longer or publish more for a stable tail.`);
  }
  return warnings;
}

/** Publish lag above this (p99, ms) is worth a look: push latencies on loopback are a few ms. */
const HIGH_PUBLISH_LAG_MS = 10;
/** A percentile needs about 10 samples beyond it to be more than the maximum. */
const MIN_SAMPLES_P99 = 1_000;
const MIN_SAMPLES_P999 = 10_000;
