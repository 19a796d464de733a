/** `--tolerance`: how large a relative change must be to count, written as a percentage. */
import { parsePercent, type ParseResult } from '../units/units.js';

/** 10 %: below the run-to-run noise of most figures on a quiet machine, above it for few. */
export const DEFAULT_TOLERANCE = '10%';

/**
 * "10%" → 0.1. A bare number is refused: "10" could mean 10 % or 10 times, and a CI gate must
 * not guess. Negative values do not parse (a tolerance is a size, not a direction).
 */
export function parseTolerance(text: string): ParseResult {
  const parsed = parsePercent(text);
  if (parsed.ok) return parsed;
  return { ok: false, message: `--tolerance ${JSON.stringify(text)} is not a percentage; write a non-negative percentage, e.g. --tolerance 10%` };
}
