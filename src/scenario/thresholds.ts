/**
 * Threshold expressions such as `websocket.latency.p99 < 50ms`: a transport, a figure of
 * the figure catalog (one the report shows), a comparison and a value written with the
 * figure's unit.
 */
import type { Unit } from '../figures/catalog.js';
import { FIGURE_LIST, THRESHOLD_FIGURES, type ThresholdFigure } from './threshold-figures.js';
import { suggest } from './suggest.js';
import { parseDuration, parsePercent, parseSize, type ParseResult } from '../units/units.js';
import { RUN_KEY, TRANSPORT_NAMES } from '../transports/catalog.js';

/** How a figure's limit is written: with a time unit, a size unit, or as a plain number. */
type LimitSyntax = 'duration' | 'size' | 'count' | 'ratio';

const LIMIT_SYNTAX: Readonly<Record<Unit, LimitSyntax>> = {
  ms: 'duration',
  'cpu-ms': 'duration',
  'window-ms': 'duration',
  bytes: 'size',
  count: 'count',
  ratio: 'ratio',
  fraction: 'ratio',
};

export type Comparison = '<=' | '>=' | '<' | '>';

export interface Threshold {
  /** The expression as written. */
  expr: string;
  /** The run it concerns: a transport's name, or `name/label` for one of several runs of it. */
  transport: string;
  /** The figure's name as written, e.g. `latency.p99` or `server.cpu`. */
  figure: string;
  /** That figure in the catalog. */
  definition: ThresholdFigure;
  op: Comparison;
  /** The limit in the figure's base unit: ms for durations, bytes for sizes, a plain number otherwise. */
  limit: number;
}

export type ThresholdParse = { ok: true; threshold: Threshold } | { ok: false; message: string };

const EXPRESSION = /^\s*([A-Za-z0-9-]+(?:\/[A-Za-z0-9_-]+)?)\.([A-Za-z0-9.]+)\s*(<=|>=|<|>)\s*(.+?)\s*$/;
const EXAMPLE = 'write e.g. "websocket.latency.p99 < 50ms" or "polling.bytes.perDelivery < 2KB"';

function parseLimit(syntax: LimitSyntax, text: string): ParseResult {
  switch (syntax) {
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

function didYouMean(figure: string): string {
  const guess = suggest(figure, [...THRESHOLD_FIGURES.keys()]);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

const UNIT_HINT: Readonly<Record<LimitSyntax, string>> = {
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
  // One of several runs of a transport (`amqp-consume/p1`) is checked by its transport's name; whether the scenario has that run, its rules say.
  if (!transportNames.includes(RUN_KEY.exec(transport)?.[1] ?? transport)) {
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
  const syntax = LIMIT_SYNTAX[spec.unit];
  const limit = parseLimit(syntax, limitText);
  if (!limit.ok) {
    return {
      ok: false,
      message: `${JSON.stringify(expr)}: the limit "${limitText}" does not fit ${figure}; write ${UNIT_HINT[syntax]}`,
    };
  }
  return {
    ok: true,
    threshold: { expr: expr.trim(), transport, figure, definition: spec, op: op as Comparison, limit: limit.value },
  };
}
