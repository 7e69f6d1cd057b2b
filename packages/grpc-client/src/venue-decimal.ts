import {
  type Decimal,
  DecimalError,
  decimal,
  formatDecimal,
  gt,
  isMultipleOf,
  normalize,
  parseDecimal,
} from "@matchingo-mm/core";

/** Matchingo stores prices and quantities as int64 with exactly three fractional digits. */
export const VENUE_SCALE = 3;
const VENUE_STEP = decimal(1n, VENUE_SCALE);
const VENUE_MAX = decimal(2n ** 63n - 1n, VENUE_SCALE);

export type VenueDecimalResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string; readonly cause?: unknown };

/**
 * Checks that `text` is a positive number the venue holds exactly, and gives it in
 * canonical form ("+5" → "5", "0.0100" → "0.010"). The venue would silently truncate
 * finer digits (a different order than meant) and answers INTERNAL for zero or less.
 */
export function toVenueDecimal(field: string, text: string): VenueDecimalResult {
  let value: Decimal;
  try {
    value = parseDecimal(text);
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error;
    return {
      ok: false,
      reason: `${field} ${JSON.stringify(text)} is not a decimal number`,
      cause: error,
    };
  }
  if (value.units <= 0n) {
    return { ok: false, reason: `${field} must be greater than zero, got ${JSON.stringify(text)}` };
  }
  if (!isMultipleOf(value, VENUE_STEP)) {
    return {
      ok: false,
      reason: `${field} ${JSON.stringify(text)} has more than ${VENUE_SCALE} fractional digits; the venue would truncate it`,
    };
  }
  if (gt(value, VENUE_MAX)) {
    return { ok: false, reason: `${field} ${JSON.stringify(text)} is too large for the venue` };
  }
  // Only zeros beyond the venue's scale go: "1.50" stays "1.50", "0.0100" becomes "0.010".
  const canonical = value.scale <= VENUE_SCALE ? value : normalize(value);
  return { ok: true, text: formatDecimal(canonical, Math.min(value.scale, VENUE_SCALE)) };
}
