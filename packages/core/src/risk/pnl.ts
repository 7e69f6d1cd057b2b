import { ConfigError, describeValue } from "../config-error.ts";
import {
  abs,
  add,
  type Decimal,
  divide,
  formatDecimal,
  isZero,
  min,
  mul,
  neg,
  normalize,
  parseDecimal,
  type Rounding,
  shiftLeft,
  sign,
  sub,
  ZERO,
} from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import type { Side } from "../ports.ts";

/**
 * Digits kept when a partial close takes its share of the cost basis
 * (`cost × closed / position` need not be a finite decimal). The share is cut toward
 * zero and the rest stays in the basis, so nothing is lost: once the position is back
 * to zero, realized P&L is exactly Σ sells − Σ buys − fees.
 */
export const COST_SHARE_SCALE = 18;

/**
 * One symbol's P&L by average cost, in the quote currency. Decimal strings (normalized),
 * so the state can be stored, logged and posted to another thread as it is.
 */
export interface PnlState {
  /** Signed base units: +long, −short. */
  readonly position: string;
  /**
   * Signed cost basis of the open position: what the long cost (> 0) or what the short
   * brought in (< 0). Average cost = costBasis / position.
   */
  readonly costBasis: string;
  /** Realized P&L after fees. */
  readonly realized: string;
  /** Fees paid (included in `realized`). */
  readonly fees: string;
  /** Traded notional, Σ price × quantity. */
  readonly volume: string;
  readonly fills: number;
}

export const EMPTY_PNL: PnlState = Object.freeze({
  position: "0",
  costBasis: "0",
  realized: "0",
  fees: "0",
  volume: "0",
  fills: 0,
});

export interface PnlFill {
  readonly side: Side;
  readonly price: DecimalInput;
  readonly quantity: DecimalInput;
  /** Maker fee in basis points of the notional (MAKER_FEE_BPS); negative = rebate. */
  readonly feeBps?: DecimalInput;
  /**
   * The fee as an amount in quote units, when it is already known (a ledger replaying
   * what was charged then); wins over `feeBps`.
   */
  readonly fee?: DecimalInput;
}

const show = (value: Decimal): string => formatDecimal(normalize(value));
const read = (field: string, value: DecimalInput): Decimal => readDecimal(field, value);

/** The fee of one fill: `price × quantity × feeBps / 10000`, exact. */
export function fillFee(
  price: DecimalInput,
  quantity: DecimalInput,
  feeBps: DecimalInput,
): Decimal {
  return shiftLeft(
    mul(mul(read("price", price), read("quantity", quantity)), read("feeBps", feeBps)),
    4,
  );
}

/** The state after one fill. Pure: the same fills in the same order give the same state. */
export function applyFill(state: PnlState, fill: PnlFill): PnlState {
  const price = read("price", fill.price);
  const quantity = read("quantity", fill.quantity);
  if (sign(price) <= 0) {
    throw new ConfigError(
      `price must be > 0, got ${describeValue(fill.price)}`,
      "price",
      fill.price,
    );
  }
  if (sign(quantity) <= 0) {
    throw new ConfigError(
      `quantity must be > 0, got ${describeValue(fill.quantity)}`,
      "quantity",
      fill.quantity,
    );
  }
  if (fill.side !== "buy" && fill.side !== "sell") {
    throw new ConfigError(
      `side must be buy or sell, got ${describeValue(fill.side)}`,
      "side",
      fill.side,
    );
  }
  const position = parseDecimal(state.position);
  let costBasis = parseDecimal(state.costBasis);
  let realized = parseDecimal(state.realized);
  const fee =
    fill.fee === undefined ? fillFee(price, quantity, fill.feeBps ?? ZERO) : read("fee", fill.fee);
  const direction = fill.side === "buy" ? 1 : -1;
  const signed = direction > 0 ? quantity : neg(quantity);

  // The part of the fill that reduces an open position of the other direction.
  const closing = sign(position) === -direction ? min(quantity, abs(position)) : ZERO;
  if (!isZero(closing)) {
    const rounding: Rounding = sign(costBasis) >= 0 ? "down" : "up";
    const share = divide(mul(costBasis, closing), abs(position), COST_SHARE_SCALE, rounding);
    const closedAll = isZero(sub(closing, abs(position)));
    const released = closedAll ? costBasis : share;
    // Cash in from the closing part (sell: +, buy: −) minus the cost it releases.
    const cash = mul(price, closing);
    realized = add(realized, sub(direction > 0 ? neg(cash) : cash, released));
    costBasis = sub(costBasis, released);
  }
  const opening = sub(quantity, closing);
  if (!isZero(opening)) {
    const cost = mul(price, opening);
    costBasis = add(costBasis, direction > 0 ? cost : neg(cost));
  }
  realized = sub(realized, fee);
  return {
    position: show(add(position, signed)),
    costBasis: show(costBasis),
    realized: show(realized),
    fees: show(add(parseDecimal(state.fees), fee)),
    volume: show(add(parseDecimal(state.volume), mul(price, quantity))),
    fills: state.fills + 1,
  };
}

/** Unrealized P&L marked at `markPrice`: `position × mark − costBasis`. */
export function unrealized(state: PnlState, markPrice: DecimalInput): Decimal {
  const position = parseDecimal(state.position);
  if (isZero(position)) return ZERO;
  return normalize(sub(mul(position, read("markPrice", markPrice)), parseDecimal(state.costBasis)));
}

/** Average entry price of the open position, to `scale` digits (display); undefined when flat. */
export function averageCost(state: PnlState, scale = 8): Decimal | undefined {
  const position = parseDecimal(state.position);
  if (isZero(position)) return undefined;
  return divide(parseDecimal(state.costBasis), position, scale, "down");
}

/** Totals across symbols (same quote currency): every field summed. */
export function sumPnl(states: Iterable<PnlState>): PnlState {
  let total = EMPTY_PNL;
  for (const state of states) {
    total = {
      position: show(add(parseDecimal(total.position), parseDecimal(state.position))),
      costBasis: show(add(parseDecimal(total.costBasis), parseDecimal(state.costBasis))),
      realized: show(add(parseDecimal(total.realized), parseDecimal(state.realized))),
      fees: show(add(parseDecimal(total.fees), parseDecimal(state.fees))),
      volume: show(add(parseDecimal(total.volume), parseDecimal(state.volume))),
      fills: total.fills + state.fills,
    };
  }
  return total;
}
