/**
 * sweep.md: a sweep for a pull-request comment or a notebook. Per line of the sweep, the
 * crossings in words ("bytes per delivery: polling costs less below 0.42 events/s, sse above"),
 * the recommendation per point when a budget was given, then one table per figure: a row per
 * value of the swept parameter, a column per transport, each median with the repeats' range.
 */
import { FORMAT_OF_UNIT } from '../report/format.js';
import { oneLine } from '../report/header.js';
import { formatDuration, formatRate } from '../units/units.js';
import type { Axis } from './axis.js';
import type { Estimate } from './crossover.js';
import type { FigureAnalysis, SweepAnalysis } from './analysis.js';
import type { Recommendation } from './recommend.js';

const MISSING = '—';

/** A point on the axis as a person writes it: a rate as 0.42/s, a duration as 1.5s. */
function formatX(axis: Axis, x: number): string {
  const rounded = Number(x.toPrecision(2));
  if (axis.unit === 'events/s') return formatRate(rounded);
  if (axis.unit === 'ms') return formatDuration(rounded);
  if (axis.unit === 'bytes') return FORMAT_OF_UNIT.bytes(rounded);
  if (axis.unit === 'fraction') return FORMAT_OF_UNIT.fraction(rounded);
  return String(rounded);
}

function cell(figure: FigureAnalysis['figure'], estimate: Estimate | null): string {
  if (estimate === null) return MISSING;
  const format = FORMAT_OF_UNIT[figure.unit];
  return estimate.low === estimate.high ? format(estimate.value) : `${format(estimate.value)} (${format(estimate.low)}–${format(estimate.high)})`;
}

function inline(text: string): string {
  return oneLine(text).replaceAll('|', '\\|');
}

function crossingLines(axis: Axis, figure: FigureAnalysis): string[] {
  return figure.crossings.map((c) => {
    const [below, above] = c.lowerBefore === 'a' ? [c.a, c.b] : [c.b, c.a];
    return `${figure.figure.label}: ${below} is lower below ~${formatX(axis, c.at)}, ${above} above (between the points ${formatX(axis, c.from)} and ${formatX(axis, c.to)})`;
  });
}

function recommendationText(recommendation: Recommendation): string {
  switch (recommendation.kind) {
    case 'winner':
      return recommendation.margin === null
        ? `${recommendation.name} (the only one in budget)`
        : `${recommendation.name}, ${Number.isFinite(recommendation.margin) ? `${(recommendation.margin * 100).toFixed(0)} %` : 'infinitely'} cheaper than ${recommendation.runnerUp ?? ''}`;
    case 'tie':
      return `no clear winner: ${recommendation.names.join(', ')} overlap within the repeats' range`;
    case 'none':
      return recommendation.reason;
  }
}

/** What a line of the sweep says in words, one sentence each: sweep.md lists them, sweep.html too. */
export function summaryLines(analysis: SweepAnalysis, line: SweepAnalysis['lines'][number], budgetText?: string): string[] {
  const { axis } = analysis;
  const crossings = line.figures.flatMap((figure) => crossingLines(axis, figure));
  const unjudged = line.figures.filter((figure) => figure.needsRepeats).map((figure) => figure.figure.label);
  const none =
    axis.numbers === null
      ? `No crossings: ${axis.path} takes words, not numbers.`
      : "No crossings: at every point the same transport is lower, or the two are within the repeats' range.";
  return [
    ...(crossings.length > 0 ? crossings.map((text) => `Crossing: ${text}`) : [none]),
    ...(unjudged.length > 0 ? [`Not looked for in ${unjudged.join(', ')}: they move between runs of the same code; sweep with --repeat 3 or more.`] : []),
    ...(line.recommendations ?? []).map((r) => `Cheapest in budget (${budgetText ?? ''}) at ${r.x}: ${recommendationText(r.recommendation)}`),
  ];
}

function figureTable(axis: Axis, figure: FigureAnalysis): string {
  const head = [axis.path, ...figure.series.map((s) => s.transport)];
  const rows = axis.labels.map((label, index) => [label, ...figure.series.map((s) => cell(figure.figure, s.points[index]?.y ?? null))]);
  const line = (cells: readonly string[]) => `| ${cells.map(inline).join(' | ')} |`;
  return [`### ${figure.figure.label}`, '', line(head), `| :--- | ${figure.series.map(() => '---:').join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function serialize(analysis: SweepAnalysis, title: string, budgetText?: string): string {
  const { axis } = analysis;
  const sections = [`# push-bench sweep: ${inline(title)} over ${inline(axis.path)} (${axis.labels.map(inline).join(', ')})`];
  for (const line of analysis.lines) {
    if (line.label) sections.push(`## ${inline(line.label)}`);
    sections.push(
      summaryLines(analysis, line, budgetText)
        .map((text) => `- ${inline(text)}`)
        .join('\n'),
    );
    sections.push(...line.figures.map((figure) => figureTable(axis, figure)));
  }
  return `${sections.join('\n\n')}\n`;
}
