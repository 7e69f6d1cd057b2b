import type { Decimal, PriceTick } from "@matchingo-mm/core";
import {
  abs,
  compare,
  formatDecimal,
  isDecimalString,
  mul,
  PriceError,
  parseDecimal,
  sub,
} from "@matchingo-mm/core";

/** Where a price came from, for the error that rejects it. */
export interface PriceContext {
  readonly source: string;
  readonly symbol: string;
}

/**
 * Most digits before the point a price may have: the venue keeps prices as int64
 * thousandths (at most 9223372036854775.807, 16 digits), and no market is quoted near it.
 */
export const MAX_PRICE_INTEGER_DIGITS = 16;
/** Longest price text taken at all (exchanges send at most a dozen or so digits). */
export const MAX_PRICE_LENGTH = 32;

/**
 * A price from the wire as an exact, positive decimal in canonical form (no sign, no
 * leading zeros; the exchange's digits kept). Anything else is an `invalid-price` error:
 * non-strings, `NaN`, `Infinity`, exponents, empty, zero, negative, and absurdly long
 * numbers (more than `MAX_PRICE_INTEGER_DIGITS` before the point or `MAX_PRICE_LENGTH`
 * characters in all).
 */
export function checkPrice(value: unknown, field: string, context: PriceContext): string {
  const { source, symbol } = context;
  if (typeof value === "string" && value.length > MAX_PRICE_LENGTH) {
    throw new PriceError(
      `${source}: ${field} for ${symbol} is ${value.length} characters long (at most ${MAX_PRICE_LENGTH}): ${JSON.stringify(value.slice(0, 40))}…`,
      { kind: "invalid-price", source, symbol },
    );
  }
  if (!isDecimalString(value)) {
    throw new PriceError(
      `${source}: ${field} for ${symbol} is not a decimal number: ${JSON.stringify(value)}`,
      { kind: "invalid-price", source, symbol },
    );
  }
  const price = parseDecimal(value);
  if (price.units <= 0n) {
    throw new PriceError(`${source}: ${field} for ${symbol} must be > 0, got ${value}`, {
      kind: "invalid-price",
      source,
      symbol,
    });
  }
  const text = formatDecimal(price);
  const integerDigits = (text.split(".")[0] ?? "").length;
  if (integerDigits > MAX_PRICE_INTEGER_DIGITS) {
    throw new PriceError(
      `${source}: ${field} for ${symbol} has ${integerDigits} digits before the point (at most ${MAX_PRICE_INTEGER_DIGITS}: more than the venue can hold), got ${value}`,
      { kind: "invalid-price", source, symbol },
    );
  }
  return text;
}

export interface TickGuardOptions {
  /** Oldest acceptable tick, by the exchange's own time where it gives one. */
  readonly maxTickAgeMs: number;
}

/**
 * Why `tick` cannot be used for `symbol` at `now`, or undefined when it can: a price
 * that is not a positive decimal, another symbol, or an exchange time older than allowed.
 */
export function rejectTick(
  tick: PriceTick,
  symbol: string,
  now: number,
  options: TickGuardOptions,
): PriceError | undefined {
  const context = { source: tick.source, symbol };
  try {
    checkPrice(tick.price, "price", context);
    if (tick.bid !== undefined) checkPrice(tick.bid, "bid", context);
    if (tick.ask !== undefined) checkPrice(tick.ask, "ask", context);
  } catch (error) {
    if (error instanceof PriceError) return error;
    throw error;
  }
  if (tick.symbol !== symbol) {
    return new PriceError(`${tick.source}: asked for ${symbol}, got a price for ${tick.symbol}`, {
      kind: "wrong-symbol",
      source: tick.source,
      symbol,
    });
  }
  if (tick.exchangeTime !== undefined) {
    const age = now - tick.exchangeTime;
    if (!Number.isFinite(age) || age > options.maxTickAgeMs) {
      return new PriceError(
        `${tick.source}: ${symbol} tick is ${age} ms old (limit ${options.maxTickAgeMs} ms)`,
        { kind: "stale", source: tick.source, symbol },
      );
    }
  }
  return undefined;
}

/** A percentage from config (`5`, `"0.5"`), as a positive decimal; throws naming the field. */
export function parsePercent(field: string, value: number | string): Decimal {
  const text = typeof value === "number" ? String(value) : value;
  if (!isDecimalString(text) || parseDecimal(text).units <= 0n) {
    throw new TypeError(`${field} must be a positive decimal number, got ${JSON.stringify(value)}`);
  }
  return parseDecimal(text);
}

/** True when `to` lies more than `percent` % away from `from` (exact, no float). */
export function isJump(from: string, to: string, percent: Decimal): boolean {
  const reference = parseDecimal(from);
  const move = abs(sub(parseDecimal(to), reference));
  // |to - from| / from > percent / 100  ⇔  |to - from| * 100 > percent * from
  return compare(mul(move, { units: 100n, scale: 0 }), mul(percent, reference)) > 0;
}

export function jumpError(
  tick: PriceTick,
  lastPrice: string,
  percent: Decimal,
  detail: string,
): PriceError {
  return new PriceError(
    `${tick.source}: ${tick.symbol} moved from ${lastPrice} to ${tick.price}, more than ${formatDecimal(percent)}% in one poll; ${detail}`,
    { kind: "jump", source: tick.source, symbol: tick.symbol },
  );
}
