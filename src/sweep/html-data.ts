/**
 * What sweep.html draws, computed here (pure) so the page's script only hands it to Chart.js:
 * per line of the sweep and per figure, each transport's medians with the repeats' range, the
 * model's prediction where the transport has one, and the crossings as points on the chart.
 */
import { figureById, type FigureId } from '../figures/catalog.js';
import { figurePair } from '../figures/read.js';
import { TRANSPORT_COLOURS } from '../report/html-charts.js';
import type { Sweep } from './model.js';
import type { SweepAnalysis } from './analysis.js';

/** The model figure drawn beside a measured one, where the catalog has one. */
const MODEL_OF: Partial<Record<FigureId, FigureId>> = {
  'bytes.perDelivery': 'model.bytesPerDelivery',
  'requests.perDelivery': 'model.requestsPerDelivery',
};

interface ChartSeries {
  transport: string;
  colour: string;
  /** Per x: the median, and the range low/high (equal to it for single runs); null where not measured. */
  median: Array<number | null>;
  low: Array<number | null>;
  high: Array<number | null>;
  /** The model's prediction per x, or absent when the transport has no model for the figure. */
  model?: Array<number | null>;
}

interface SweepChart {
  id: string;
  title: string;
  unit: string;
  /** A log y axis when the values span decades. */
  logY: boolean;
  series: ChartSeries[];
  /** Where two transports cross: x, the y of the medians there, and a label. */
  crossings: Array<{ x: number; y: number; label: string }>;
  needsRepeats: boolean;
}

export interface SweepChartData {
  /** The x values: numbers on a numeric axis, or the labels' positions (0, 1, …) on a categorical one. */
  x: number[];
  labels: string[];
  logX: boolean;
  xTitle: string;
  lines: Array<{ label: string; charts: SweepChart[] }>;
}

function modelValues(sweep: Sweep, analysis: SweepAnalysis, line: string, transport: string, modelId: FigureId): Array<number | null> | undefined {
  const figure = figureById(modelId);
  if (figure.kind !== 'model') return undefined;
  const values = analysis.axis.labels.map((label) => {
    const point = sweep.points.find((p) => p.values[0] === label && (line === '' || `${sweep.vary[1]?.path}=${p.values[1]}` === line));
    const found = point?.result.transports.find((t) => t.transport === transport);
    return found ? (figurePair(figure, found)?.model ?? null) : null;
  });
  return values.some((v) => v !== null) ? values : undefined;
}

export function sweepChartData(sweep: Sweep, analysis: SweepAnalysis): SweepChartData {
  const { axis } = analysis;
  const x = axis.numbers ?? axis.labels.map((_, index) => index);
  return {
    x,
    labels: axis.labels,
    logX: axis.numbers !== null && axis.scale === 'log',
    xTitle: axis.unit ? `${axis.path} (${axis.unit})` : axis.path,
    lines: analysis.lines.map((line, lineIndex) => ({
      label: line.label,
      charts: line.figures.map((figure) => {
        const series = figure.series.map((s, index) => {
          const modelId = MODEL_OF[figure.figure.id as FigureId];
          const model = modelId ? modelValues(sweep, analysis, line.label, s.transport, modelId) : undefined;
          return {
            transport: s.transport,
            colour: TRANSPORT_COLOURS[index % TRANSPORT_COLOURS.length]!,
            median: s.points.map((p) => p.y?.value ?? null),
            low: s.points.map((p) => p.y?.low ?? null),
            high: s.points.map((p) => p.y?.high ?? null),
            ...(model ? { model } : {}),
          };
        });
        const values = series.flatMap((s) => [...s.low, ...s.high]).filter((v): v is number => v !== null && v > 0);
        const logY = values.length > 0 && Math.max(...values) / Math.min(...values) >= 100;
        return {
          id: `sweep-${lineIndex}-${figure.figure.id.replaceAll('.', '-')}`,
          title: figure.figure.label,
          unit: figure.figure.unit,
          logY,
          series,
          crossings: figure.crossings.map((c) => ({
            x: c.at,
            y: yAt(figure.series.find((s) => s.transport === c.a)!.points, c.at, axis.scale === 'log'),
            label: `${c.a} × ${c.b}`,
          })),
          needsRepeats: figure.needsRepeats,
        };
      }),
    })),
  };
}

/** The series' median at x, interpolated between the points around it (log x when `log`). */
function yAt(points: ReadonlyArray<{ x: number; y: { value: number } | null }>, x: number, log: boolean): number {
  const known = points.filter((p): p is { x: number; y: { value: number } } => p.y !== null);
  const after = known.findIndex((p) => p.x >= x);
  if (after <= 0) return known[Math.max(0, after)]?.y.value ?? 0;
  const [a, b] = [known[after - 1]!, known[after]!];
  const t = log ? (Math.log(x) - Math.log(a.x)) / (Math.log(b.x) - Math.log(a.x)) : (x - a.x) / (b.x - a.x);
  return a.y.value + t * (b.y.value - a.y.value);
}
