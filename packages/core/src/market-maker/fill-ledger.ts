import { add, type Decimal, mul, neg, sign, ZERO } from "../decimal.ts";
import type { Side } from "../ports.ts";
import { formatAmount } from "./tracked-orders.ts";

/** Fills, volume and position since the market maker was made. */
export interface FillLedger {
  /** Books a fill; answers false (and books nothing) for a quantity at or below zero. */
  record(side: Side, price: Decimal, quantity: Decimal): boolean;
  readonly fills: number;
  /** Base units bought minus sold. */
  readonly position: Decimal;
  totals(): { fills: number; volume: { base: string; quote: string }; position: string };
}

export function createFillLedger(): FillLedger {
  let fills = 0;
  let base: Decimal = ZERO;
  let quote: Decimal = ZERO;
  let position: Decimal = ZERO;
  return {
    record(side, price, quantity) {
      if (sign(quantity) <= 0) return false;
      fills++;
      base = add(base, quantity);
      quote = add(quote, mul(quantity, price));
      position = add(position, side === "buy" ? quantity : neg(quantity));
      return true;
    },
    get fills() {
      return fills;
    },
    get position() {
      return position;
    },
    totals: () => ({
      fills,
      volume: { base: formatAmount(base), quote: formatAmount(quote) },
      position: formatAmount(position),
    }),
  };
}
