/** What bench:soak prints: per transport the memory figures, the verdict, the events, and a chart of RSS over time. */
import type { TransportResult } from '../../src/report/model.js';
import type { Audience } from '../../src/scenario/scenario.js';
import { audienceText } from './args.js';
import { clientSeries, FLAT_TOLERANCE, firstReading, flatness, peakReading, serverSeries, type Flatness, type Series } from './flatness.js';
import { table } from './figures.js';
import type { RssSample, SampleStep } from './rss-sampler.js';
import { columnChart } from './text-chart.js';

export interface SoakedTransport {
  transport: TransportResult['transport'];
  clients: number;
  /** Clients connected. Count. */
  held: number;
  result: TransportResult;
  samples: RssSample[];
}

export interface Verdict {
  server: Flatness | undefined;
  clients: Flatness | undefined;
  lost: number;
  duplicated: number;
  /** Memory flat for both, and every event delivered exactly once. */
  ok: boolean;
}

export function verdictOf(run: SoakedTransport): Verdict {
  const server = flatness(run.samples, serverSeries);
  const clients = flatness(run.samples, clientSeries);
  const { lost, duplicated } = run.result.events;
  return { server, clients, lost, duplicated, ok: !!server?.flat && !!clients?.flat && lost === 0 && duplicated === 0 };
}

const mb = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)}`);
const int = (n: number): string => n.toLocaleString('en-US');

const MEMORY_HEADER = ['transport', 'process', 'start MB', 'after warm-up MB', 'end MB', 'peak MB', 'end ÷ after warm-up', `flat (±${FLAT_TOLERANCE * 100} %)`];

function memoryRow(run: SoakedTransport, label: string, series: Series, verdict: Flatness | undefined): string[] {
  return [
    run.transport,
    label,
    mb(firstReading(run.samples, series)),
    mb(verdict?.firstBytes),
    mb(verdict?.lastBytes),
    mb(peakReading(run.samples, series)),
    verdict ? `${verdict.ratio.toFixed(3)}` : '—',
    verdict ? (verdict.flat ? 'yes' : 'NO') : 'too few samples',
  ];
}

const EVENTS_HEADER = ['transport', 'clients held', 'expected', 'delivered', 'lost', 'duplicated', 'latency p50 ms', 'p99 ms', 'max ms'];

function eventsRow(run: SoakedTransport): string[] {
  const { events, latencyMs } = run.result;
  const ms = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  return [
    run.transport,
    int(run.held),
    int(events.expected),
    int(events.delivered),
    int(events.lost),
    int(events.duplicated),
    ms(latencyMs.p50),
    ms(latencyMs.p99),
    ms(latencyMs.max),
  ];
}

const STEP_LETTER: Partial<Record<SampleStep, string>> = { connect: 'c', 'warm-up': 'w', measure: 'm', drain: 'd' };

/** Where each step began, as chart marks. */
function stepMarks(samples: RssSample[]): Array<{ index: number; letter: string }> {
  return samples.flatMap((s, index) => {
    const letter = STEP_LETTER[s.step];
    return letter && samples[index - 1]?.step !== s.step ? [{ index, letter }] : [];
  });
}

const CHART_WIDTH = 72;

function charts(run: SoakedTransport, intervalS: number): string[] {
  const lengthS = run.samples.at(-1)?.t ?? 0;
  const columnS = (lengthS / Math.max(1, Math.min(CHART_WIDTH, run.samples.length))).toFixed(1);
  const chart = (who: string, series: Series) =>
    columnChart(run.samples.map(series), {
      width: CHART_WIDTH,
      height: 8,
      title: `${run.transport}: ${who} RSS, MB (${int(run.samples.length)} samples every ${intervalS} s over ${Math.round(lengthS)} s; one column ≈ ${columnS} s, its median)`,
      format: (v) => mb(v),
      marks: stepMarks(run.samples),
    });
  return [...chart('reference server', serverSeries), '', ...chart(`client processes (${run.result.client.processes ?? '?'}, summed)`, clientSeries)];
}

export function soakReport(
  runs: SoakedTransport[],
  options: { ratePerS: number; audience: Audience; durationS: number; warmupS: number; intervalS: number },
): string {
  const verdicts = runs.map(verdictOf);
  const memoryRows = runs.flatMap((run, i) => [
    memoryRow(run, 'server', serverSeries, verdicts[i]!.server),
    memoryRow(run, 'clients (summed)', clientSeries, verdicts[i]!.clients),
  ]);
  const span = verdicts.find((v) => v.server)?.server?.spanS ?? 60;
  return [
    `## bench:soak — ${options.ratePerS} broadcast/s to ${audienceText(options.audience)}, 200 B payload, ${options.warmupS} s warm-up, ${options.durationS} s measured`,
    '',
    table(MEMORY_HEADER, memoryRows),
    '',
    `start: the first reading of the process; after warm-up: median of the window's first ${Math.round(span)} s; end: median of its last ${Math.round(span)} s.`,
    '',
    table(EVENTS_HEADER, runs.map(eventsRow)),
    '',
    '```',
    ...runs.flatMap((run) => [...charts(run, options.intervalS), '']),
    'c connect · w warm-up · m measured window · d drain',
    '```',
    '',
    ...runs.flatMap((run) => run.result.warnings.map((w) => `warning (${run.transport}): ${w.message}`)),
  ].join('\n');
}
