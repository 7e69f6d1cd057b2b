import type { Decimal } from "@matchingo-mm/core";
import {
  abs,
  add,
  compare,
  divide,
  formatDecimal,
  half,
  mul,
  normalize,
  parseDecimal,
  sub,
} from "@matchingo-mm/core";

/** Which price of the top of book is the reference: the mid of bid and ask, or the last trade. */
export type PriceType = "mid" | "last";

/** The mid of `bid` and `ask`, exact, with no fewer digits than the two have. */
export function midPrice(bid: string, ask: string): string {
  const b = parseDecimal(bid);
  const a = parseDecimal(ask);
  return formatDecimal(normalize(half(add(b, a))), Math.max(b.scale, a.scale));
}

/** The reference price of a quote, or undefined when it lacks what `type` needs. */
export function referencePrice(
  quote: { readonly bid?: string; readonly ask?: string; readonly last?: string },
  type: PriceType,
): string | undefined {
  if (type === "last") return quote.last;
  if (quote.bid === undefined || quote.ask === undefined) return undefined;
  return midPrice(quote.bid, quote.ask);
}

/** The median of exact prices (the mean of the middle two for an even count). */
export function medianOf(prices: readonly Decimal[]): Decimal {
  if (prices.length === 0) throw new RangeError("medianOf: no prices");
  const sorted = [...prices].sort(compare);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return half(add(sorted[middle - 1]!, sorted[middle]!));
}

const HUNDRED: Decimal = { units: 100n, scale: 0 };

/** |price − reference| in percent of `reference`, to 6 digits (rounded up: never understated). */
export function deviationPercent(price: Decimal, reference: Decimal): Decimal {
  return normalize(mul(divide(abs(sub(price, reference)), reference, 8, "up"), HUNDRED));
}
