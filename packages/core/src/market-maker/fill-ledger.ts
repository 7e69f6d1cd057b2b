import { add, type Decimal, parseDecimal, sign, ZERO } from "../decimal.ts";
import type { Side } from "../ports.ts";
import { applyFill, EMPTY_PNL, type PnlState } from "../risk/pnl.ts";
import { formatAmount } from "./format-amount.ts";
import type { RestoredPnl } from "./shared-types.ts";

/**
 * Fills, volume, position and P&L by average cost: restored at creation, then every fill
 * learned. The position is the one the risk rules (limit, skew, loss) work from.
 */
export interface FillLedger {
  /** Books a fill; answers the P&L after it, or undefined (nothing booked) at or below zero. */
  record(side: Side, price: Decimal, quantity: Decimal, feeBps: Decimal): PnlState | undefined;
  readonly fills: number;
  /** Base units bought minus sold. */
  readonly position: Decimal;
  readonly pnl: PnlState;
  totals(): { fills: number; volume: { base: string; quote: string }; position: string };
}

export function createFillLedger(restored?: RestoredPnl): FillLedger {
  let pnl: PnlState = restored?.pnl ?? EMPTY_PNL;
  let base: Decimal = restored?.baseVolume === undefined ? ZERO : parseDecimal(restored.baseVolume);
  let position = parseDecimal(pnl.position);
  return {
    record(side, price, quantity, feeBps) {
      if (sign(quantity) <= 0) return undefined;
      pnl = applyFill(pnl, { side, price, quantity, feeBps });
      base = add(base, quantity);
      position = parseDecimal(pnl.position);
      return pnl;
    },
    get fills() {
      return pnl.fills;
    },
    get position() {
      return position;
    },
    get pnl() {
      return pnl;
    },
    totals: () => ({
      fills: pnl.fills,
      volume: { base: formatAmount(base), quote: pnl.volume },
      position: formatAmount(position),
    }),
  };
}
