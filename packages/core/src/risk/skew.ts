import { ConfigError, describeValue } from "../config-error.ts";
import {
  type Decimal,
  divide,
  eq,
  gt,
  isZero,
  lt,
  mul,
  neg,
  normalize,
  percentOf,
  sign,
  sub,
} from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import { computeLadder, type Ladder, type LadderConfig, type LadderParams } from "../ladder.ts";

/**
 * Fractional digits of `position / maxPosition`. That ratio is the one inexact step of
 * the skew (1/3 has no finite decimal), so it is cut toward zero at this many digits:
 * the centre then moves at most as far as the exact formula says, never further, and
 * by less than `P × skew% / 100 × 10^-18`, far below any price tick. Everything
 * else is exact; the ladder quantizes the resulting centre as usual.
 */
export const SKEW_RATIO_SCALE = 18;

const ONE: Decimal = { units: 1n, scale: 0 };

export interface SkewInput {
  /** Signed position in base units (+long, −short). */
  readonly position: DecimalInput;
  /** MAX_POSITION; undefined = no limit, so no skew. */
  readonly maxPosition?: DecimalInput | undefined;
  /** INVENTORY_SKEW_PERCENT; undefined or 0 = off. */
  readonly skewPercent?: DecimalInput | undefined;
}

/**
 * The ladder's centre under inventory skew:
 * `P × (1 − skew% / 100 × clamp(position / maxPosition, −1, 1))`.
 * Long → the centre moves down (buy less eagerly, sell more readily); short → up.
 * Skew 0 or no limit → exactly P.
 */
export function skewedCenter(
  price: DecimalInput,
  position: DecimalInput,
  maxPosition: DecimalInput | undefined,
  skewPercent: DecimalInput | undefined,
): Decimal {
  const reference = readDecimal("price", price);
  const held = readDecimal("position", position);
  if (maxPosition === undefined || skewPercent === undefined) return reference;
  const limit = readDecimal("maxPosition", maxPosition);
  const skew = readDecimal("skewPercent", skewPercent);
  if (sign(limit) <= 0) {
    throw new ConfigError(
      `maxPosition must be > 0, got ${describeValue(maxPosition)}`,
      "maxPosition",
      maxPosition,
    );
  }
  if (sign(skew) < 0) {
    throw new ConfigError(
      `skewPercent must be >= 0, got ${describeValue(skewPercent)}`,
      "skewPercent",
      skewPercent,
    );
  }
  if (isZero(skew) || isZero(held)) return reference;
  // Toward zero: floor for a long, ceiling for a short.
  let ratio = divide(held, limit, SKEW_RATIO_SCALE, sign(held) > 0 ? "down" : "up");
  if (gt(ratio, ONE)) ratio = ONE;
  if (lt(ratio, neg(ONE))) ratio = neg(ONE);
  const shift = mul(percentOf(reference, skew), ratio);
  return normalize(sub(reference, shift));
}

/**
 * The seed's ladder around the skewed centre: spread and step stay percentages of P,
 * bids round down and asks up, as in `computeLadder`. Without skew it is exactly
 * `computeLadder(price, params)`.
 */
export function computeSkewedLadder(
  price: DecimalInput,
  params: LadderParams | LadderConfig,
  skew: SkewInput,
): Ladder {
  const reference = readDecimal("price", price);
  const center = skewedCenter(reference, skew.position, skew.maxPosition, skew.skewPercent);
  return eq(center, reference)
    ? computeLadder(reference, params)
    : computeLadder(reference, params, { center });
}
