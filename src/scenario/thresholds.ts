/**
 * Threshold expressions such as `websocket.latency.p99 < 50ms`: a transport, a figure of
 * the result, a comparison and a value written with the figure's unit.
 */
import { suggest } from './suggest.js';
import { parseDuration, parsePercent, parseSize, type ParseResult } from '../units/units.js';
import { TRANSPORT_NAMES, type TransportName } from '../transports/catalog.js';

/** How a figure's limit is written: with a time unit, a size unit, or as a plain number. */
export type FigureKind = 'duration' | 'size' | 'count' | 'ratio';

export interface FigureSpec {
  kind: FigureKind;
  /** Path of the figure inside one transport of result.json (design §5). */
  resultPath: readonly string[];
}

const SUMMARY_STATS = ['min', 'mean', 'p50', 'p90', 'p99', 'p999', 'max'] as const;

function summaryFigures(prefix: string, resultKey: string): Array<[string, FigureSpec]> {
  return SUMMARY_STATS.map((stat) => [`${prefix}.${stat}`, { kind: 'duration', resultPath: [resultKey, stat] }]);
}

function fieldFigures(prefix: string, kind: FigureKind, fields: readonly string[]): Array<[string, FigureSpec]> {
  return fields.map((field) => [`${prefix}.${field}`, { kind, resultPath: [prefix, field] }]);
}

function processFigures(side: 'server' | 'client'): Array<[string, FigureSpec]> {
  return [
    [`${side}.cpu`, { kind: 'duration', resultPath: [side, 'cpuMs'] }],
    [`${side}.rssPeak`, { kind: 'size', resultPath: [side, 'rssPeakBytes'] }],
    [`${side}.elu`, { kind: 'ratio', resultPath: [side, 'elu'] }],
  ];
}

/** Every figure a threshold may name, with the unit its limit is written in. */
export const THRESHOLD_FIGURES: ReadonlyMap<string, FigureSpec> = new Map<string, FigureSpec>([
  ...summaryFigures('latency', 'latencyMs'),
  ...summaryFigures('publishLag', 'publishLagMs'),
  ...summaryFigures('connect', 'connectMs'),
  ...fieldFigures('events', 'count', ['published', 'expected', 'delivered', 'lost', 'duplicated', 'reordered']),
  ...fieldFigures('requests', 'count', ['total', 'empty']),
  ['requests.perDelivery', { kind: 'ratio', resultPath: ['requests', 'perDelivery'] }],
  ...fieldFigures('bytes', 'size', ['up', 'down', 'perDelivery']),
  ['bytes.overheadRatio', { kind: 'ratio', resultPath: ['bytes', 'overheadRatio'] }],
  ...processFigures('server'),
  ...processFigures('client'),
]);

export const COMPARISONS = ['<=', '>=', '<', '>'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface Threshold {
  /** The expression as written. */
  expr: string;
  transport: TransportName;
  /** Catalogue name, e.g. `latency.p99`. */
  figure: string;
  resultPath: readonly string[];
  op: Comparison;
  /** The limit in the figure's base unit: ms for durations, bytes for sizes, a plain number otherwise. */
  limit: number;
}

export type ThresholdParse = { ok: true; threshold: Threshold } | { ok: false; message: string };

const EXPRESSION = /^\s*([A-Za-z-]+)\.([A-Za-z0-9.]+)\s*(<=|>=|<|>)\s*(.+?)\s*$/;
const EXAMPLE = 'write e.g. "websocket.latency.p99 < 50ms" or "polling.bytes.perDelivery < 2KB"';

function parseLimit(kind: FigureKind, text: string): ParseResult {
  switch (kind) {
    case 'duration':
      return parseDuration(text);
    case 'size':
      return parseSize(text);
    case 'ratio':
      return text.endsWith('%') ? parsePercent(text) : parsePlainNumber(text);
    case 'count':
      return parsePlainNumber(text);
  }
}

function parsePlainNumber(text: string): ParseResult {
  return /^\d+(\.\d+)?$/.test(text)
    ? { ok: true, value: Number(text) }
    : { ok: false, message: `${JSON.stringify(text)} is not a plain number; write e.g. "0" or "1.5"` };
}

/** The catalogue in a readable line: summaries once with their statistics, other groups with their fields. */
const FIGURE_LIST = (() => {
  const groups = new Map<string, string[]>();
  for (const name of THRESHOLD_FIGURES.keys()) {
    const [group = '', field = ''] = name.split('.');
    groups.set(group, [...(groups.get(group) ?? []), field]);
  }
  return [...groups].map(([group, fields]) => `${group}.{${fields.join(',')}}`).join(', ');
})();

function didYouMean(figure: string): string {
  const guess = suggest(figure, [...THRESHOLD_FIGURES.keys()]);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

const UNIT_HINT: Readonly<Record<FigureKind, string>> = {
  duration: 'a duration such as "50ms"',
  size: 'a size such as "2KB"',
  count: 'a plain number such as "0"',
  ratio: 'a plain number such as "0.8" or a percentage such as "80%"',
};

/**
 * Parses one threshold expression; the message on failure names the bad part and the fix.
 * `transportNames`: the catalog's (tests pass a copy with a toy transport added).
 */
export function parseThreshold(expr: unknown, transportNames: readonly string[] = TRANSPORT_NAMES): ThresholdParse {
  if (typeof expr !== 'string') {
    return { ok: false, message: `${JSON.stringify(expr)} is not a threshold expression; ${EXAMPLE}` };
  }
  const match = EXPRESSION.exec(expr);
  if (!match) return { ok: false, message: `${JSON.stringify(expr)} is not a threshold expression; ${EXAMPLE}` };
  const [, transport = '', figure = '', op = '<', limitText = ''] = match;
  if (!transportNames.includes(transport)) {
    return {
      ok: false,
      message: `${JSON.stringify(expr)} names transport "${transport}", which does not exist; use one of ${transportNames.join(', ')}`,
    };
  }
  const spec = THRESHOLD_FIGURES.get(figure);
  if (!spec) {
    return {
      ok: false,
      message: `${JSON.stringify(expr)} names figure "${figure}", which does not exist${didYouMean(figure)}; use one of ${FIGURE_LIST}`,
    };
  }
  const limit = parseLimit(spec.kind, limitText);
  if (!limit.ok) {
    return {
      ok: false,
      message: `${JSON.stringify(expr)}: the limit "${limitText}" does not fit ${figure}; write ${UNIT_HINT[spec.kind]}`,
    };
  }
  return {
    ok: true,
    threshold: { expr: expr.trim(), transport: transport as TransportName, figure, resultPath: spec.resultPath, op: op as Comparison, limit: limit.value },
  };
}
