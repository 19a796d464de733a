/**
 * Where one transport stops being cheaper than another: the crossings of two measured series
 * over the swept parameter. A point where the two overlap within their noise (the spread of
 * their repeats) says neither is lower there; a crossing is only declared between points where
 * each is clearly lower in turn, so noise alone never makes one. Pure.
 */

/** A measured value with its uncertainty: the repeats' spread (low..high), or the value itself for a single run. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

export interface SeriesPoint {
  /** The swept parameter's value, as a number in one unit (e.g. events/s). */
  x: number;
  y: Estimate | null;
}

export interface Crossing {
  /** The last point where one series was clearly lower, and the first where the other was. */
  from: number;
  to: number;
  /** Where the medians cross, interpolated between the points around it (in log x on a log axis). */
  at: number;
  /** The series lower (cheaper) before the crossing. */
  lowerBefore: 'a' | 'b';
}

/** -1: a clearly lower; 1: b clearly lower; 0: they overlap (within noise). */
function order(a: Estimate, b: Estimate): -1 | 0 | 1 {
  if (a.high < b.low) return -1;
  if (b.high < a.low) return 1;
  return 0;
}

/** x where d crosses 0 between (x0, d0) and (x1, d1), in log x when `log`. */
function interpolate(x0: number, d0: number, x1: number, d1: number, log: boolean): number {
  const t = d0 === d1 ? 0.5 : d0 / (d0 - d1);
  if (!log) return x0 + t * (x1 - x0);
  return Math.exp(Math.log(x0) + t * (Math.log(x1) - Math.log(x0)));
}

/**
 * The crossings of series `a` and `b` (the same x values, ascending; a point missing on
 * either side is skipped). `scale: 'log'` interpolates in log x, as a sweep over decades does.
 */
export function crossings(a: readonly SeriesPoint[], b: readonly SeriesPoint[], scale: 'log' | 'linear'): Crossing[] {
  const log = scale === 'log';
  const both = a.flatMap((point) => {
    const other = b.find((q) => q.x === point.x);
    return point.y && other?.y ? [{ x: point.x, a: point.y, b: other.y }] : [];
  });
  const found: Crossing[] = [];
  let last: { index: number; sign: -1 | 1 } | undefined;
  for (const [index, point] of both.entries()) {
    const sign = order(point.a, point.b);
    if (sign === 0) continue;
    if (last && last.sign !== sign) found.push(crossingBetween(both, last.index, index, last.sign, log));
    last = { index, sign };
  }
  return found;
}

function crossingBetween(both: ReadonlyArray<{ x: number; a: Estimate; b: Estimate }>, from: number, to: number, signBefore: -1 | 1, log: boolean): Crossing {
  // The medians' difference changes sign somewhere from `from` to `to`: at the first segment where it does.
  const d = (i: number) => both[i]!.a.value - both[i]!.b.value;
  let at = interpolate(both[from]!.x, d(from), both[to]!.x, d(to), log);
  for (let i = from; i < to; i++) {
    if (Math.sign(d(i)) !== Math.sign(d(i + 1)) || d(i + 1) === 0) {
      at = interpolate(both[i]!.x, d(i), both[i + 1]!.x, d(i + 1), log);
      break;
    }
  }
  return { from: both[from]!.x, to: both[to]!.x, at, lowerBefore: signBefore < 0 ? 'a' : 'b' };
}
