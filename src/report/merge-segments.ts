/**
 * `push-bench merge`: the partial results of one run's segments as one result, exactly. Counts
 * add, histograms add bucket by bucket and every percentile and ratio is derived again from the
 * sums (buildTransportResult), never averaged. Parts that do not make one whole run are refused.
 */
import { mergeAllSnapshots } from '../metrics/snapshot.js';
import type { ClientSnapshot } from '../metrics/snapshot.js';
import { mergeEncoded, summarizeEncoded } from '../metrics/histogram.js';
import type { ExpectedFigures } from '../metrics/model.js';
import type { Result, SegmentPart, SegmentTransport, TransportResult } from './model.js';
import { buildTransportResult } from './transport-result.js';
import { clockWarnings } from './clock-warnings.js';

export interface NamedPart {
  /** Where the part came from (its file), for the refusal's message. */
  file: string;
  result: Result;
}

/** Parts that cannot be merged: the message names the file and the fix. */
export class MergeRefused extends Error {}

/** Merges the parts (any order) into one result; throws MergeRefused when they are not one whole run. */
export function mergeSegments(parts: readonly NamedPart[]): Result {
  const ordered = checkParts(parts);
  const first = ordered[0]!.result;
  const places = ordered.map(({ result }) => result.segment!);
  const serverFrom = ordered.findIndex(({ result }) => result.transports.some((t) => t.server.cpuMs !== null));
  const transports = places[0]!.transports.map((t) =>
    mergeTransport(
      t.transport,
      places.map((place) => place.transports.find((s) => s.transport === t.transport)!),
      ordered.map(({ result }) => result.transports.find((r) => r.transport === t.transport)),
      serverFrom,
    ),
  );
  const uncertainties = places.map((place) => place.clock.uncertaintyMs);
  const clockUncertaintyMs = uncertainties.some((u) => u === null) ? null : Math.max(...(uncertainties as number[]));
  const { segment: _segment, ...base } = first;
  const finished = ordered.map(({ result }) => result.finishedAt);
  const result: Result = {
    ...base,
    startedAt: minIso(ordered.map(({ result }) => result.startedAt)),
    transports,
    thresholds: [],
    warnings: [
      // A part's clock warning is judged again against the merged latencies, below.
      ...ordered.flatMap(({ result }) =>
        result.warnings
          .filter((w) => w.code !== 'clock-uncertain')
          .map((w) => ({ ...w, message: `segment ${result.segment!.index}/${result.segment!.count}: ${w.message}` })),
      ),
      ...clockWarnings({ uncertaintyMs: clockUncertaintyMs }, transports, 'the slowest-clocked segment'),
    ],
    segments: {
      parts: places.map(({ transports: _t, ...place }) => place),
      serverFiguresFrom: serverFrom >= 0 ? serverFrom + 1 : null,
      clockUncertaintyMs,
    },
  };
  delete result.finishedAt;
  if (finished.every((f) => f !== undefined)) result.finishedAt = maxIso(finished);
  return result;
}

function mergeTransport(
  name: string,
  parts: readonly SegmentTransport[],
  results: ReadonlyArray<TransportResult | undefined>,
  serverFrom: number,
): TransportResult {
  const first = parts[0]!;
  const server = serverFrom >= 0 ? results[serverFrom]?.server : undefined;
  const transport = buildTransportResult({
    transport: name,
    framed: first.framed,
    durationMs: Math.min(...parts.map((p) => p.durationMs)),
    published: first.scheduled.published,
    expected: parts.reduce((sum, p) => sum + p.expected, 0),
    clients: mergeAllSnapshots(parts.map((p) => p.clients as unknown as ClientSnapshot)),
    publishLagMs: summarizeEncoded(mergeEncoded(...parts.map((p) => p.publishLagHistogram))),
    server: server ?? { cpuMs: null, rssPeakBytes: null, elu: null },
    ...(first.expectedFigures ? { expectedFigures: first.expectedFigures as unknown as ExpectedFigures } : {}),
    warnings: parts.flatMap((p, i) => p.runnerWarnings.map((w) => ({ ...w, message: `segment ${i + 1}/${parts.length}: ${w.message}` }))),
  });
  return transport;
}

/** The parts in segment order, or MergeRefused naming the file that does not fit. */
function checkParts(parts: readonly NamedPart[]): NamedPart[] {
  if (parts.length === 0) throw new MergeRefused('give the partial results to merge, e.g. push-bench merge parts/*.json');
  for (const { file, result } of parts) {
    if (!result.segment) throw new MergeRefused(`${file} is not a partial result (no "segment"): merge the result.json files that run --segment I/N wrote`);
  }
  const [head, ...rest] = parts as Array<NamedPart & { result: Result & { segment: SegmentPart } }>;
  const count = head!.result.segment.count;
  const runKey = sameRunKey(head!.result);
  for (const part of rest) {
    if (part.result.segment.count !== count) {
      throw new MergeRefused(
        `${part.file} is segment ${part.result.segment.index}/${part.result.segment.count}, but ${head!.file} is one of ${count}: merge the parts of one run`,
      );
    }
    if (sameRunKey(part.result) !== runKey) {
      throw new MergeRefused(`${part.file} is from another run than ${head!.file} (a different scenario, start or run id): merge the parts of one run`);
    }
  }
  const byIndex = new Map<number, NamedPart>();
  for (const part of parts) {
    const index = part.result.segment!.index;
    const seen = byIndex.get(index);
    if (seen) throw new MergeRefused(`${part.file} is segment ${index}/${count} again (also ${seen.file}): give each segment once`);
    byIndex.set(index, part);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new MergeRefused(
      `segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: give all ${count} parts of the run`,
    );
  const ordered = missing.length === 0 ? Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!) : [];
  checkTransports(ordered);
  return ordered;
}

/** Every part measured the same transports with the same whole schedule, and its clients add up to the fleet. */
function checkTransports(ordered: readonly NamedPart[]): void {
  const head = ordered[0]!;
  const names = head.result.segment!.transports.map((t) => t.transport).join(',');
  let clients = 0;
  for (const part of ordered) {
    const segment = part.result.segment!;
    if (segment.firstClient !== clients) {
      throw new MergeRefused(
        `${part.file}: segment ${segment.index} starts at client ${segment.firstClient}, expected ${clients}: the parts do not split one fleet`,
      );
    }
    clients += segment.clients;
    if (segment.transports.length === 0) {
      const why = part.result.warnings.find((w) => w.code === 'run-failed' || w.code === 'interrupted')?.message ?? 'no transport finished';
      throw new MergeRefused(`${part.file} (segment ${segment.index}/${segment.count}) measured nothing: ${why}; run the segments again`);
    }
    const own = segment.transports.map((t) => t.transport).join(',');
    if (own !== names)
      throw new MergeRefused(
        `${part.file} measured ${own || 'no transport'}, ${head.file} measured ${names || 'none'}: merge parts that ran the same transports`,
      );
    for (const t of segment.transports) {
      const other = head.result.segment!.transports.find((h) => h.transport === t.transport)!;
      if (t.scheduled.published !== other.scheduled.published || t.scheduled.expected !== other.scheduled.expected) {
        throw new MergeRefused(`${part.file}: its ${t.transport} schedule differs from ${head.file}'s: merge parts of one scenario`);
      }
    }
  }
  if (clients !== head.result.segment!.fleetClients) {
    throw new MergeRefused(`the parts hold ${clients} clients, the run ${head.result.segment!.fleetClients}: a part is missing or from another run`);
  }
}

/** What every part of one run shares: its id, scenario, agreed start and segment count. */
function sameRunKey(result: Result): string {
  const segment = result.segment!;
  return JSON.stringify([result.runId ?? null, result.scenario, segment.startAt, segment.count, segment.fleetClients]);
}

const minIso = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const maxIso = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
