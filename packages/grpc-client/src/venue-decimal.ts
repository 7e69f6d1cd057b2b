import { type Decimal, DecimalError, formatDecimal, parseDecimal } from "@matchingo-mm/core";

/** Matchingo stores prices and quantities as int64 with exactly three fractional digits. */
export const VENUE_SCALE = 3;
const MAX_UNITS = 2n ** 63n - 1n;

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
  const atVenueScale = toScale(value);
  if (atVenueScale === undefined) {
    return {
      ok: false,
      reason: `${field} ${JSON.stringify(text)} has more than ${VENUE_SCALE} fractional digits; the venue would truncate it`,
    };
  }
  if (atVenueScale.units > MAX_UNITS) {
    return { ok: false, reason: `${field} ${JSON.stringify(text)} is too large for the venue` };
  }
  return { ok: true, text: formatDecimal(trimScale(value)) };
}

function toScale(value: Decimal): Decimal | undefined {
  if (value.scale <= VENUE_SCALE) {
    return { units: value.units * 10n ** BigInt(VENUE_SCALE - value.scale), scale: VENUE_SCALE };
  }
  const divisor = 10n ** BigInt(value.scale - VENUE_SCALE);
  if (value.units % divisor !== 0n) return undefined;
  return { units: value.units / divisor, scale: VENUE_SCALE };
}

/** Drops only the zeros beyond the venue's scale; "1.50" stays "1.50". */
function trimScale(value: Decimal): Decimal {
  return value.scale <= VENUE_SCALE ? value : (toScale(value) ?? value);
}
