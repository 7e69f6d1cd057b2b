import { ConfigError, describeValue } from "../config-error.ts";
import {
  add,
  type Decimal,
  formatDecimal,
  gte,
  lt,
  min,
  normalize,
  quantize,
  sign,
  sub,
  ZERO,
} from "../decimal.ts";
import { type DecimalInput, readDecimal } from "../decimal-input.ts";
import type { Ladder, Level } from "../ladder.ts";

export interface PositionLimit {
  /** Signed position in base units (+long, −short). */
  readonly position: DecimalInput;
  /** MAX_POSITION, > 0. */
  readonly maxPosition: DecimalInput;
  /** Lot step: a partly sized level is cut down to a multiple of it. */
  readonly qtyStep: DecimalInput;
  /**
   * Remaining quantity of our live orders that stay on the venue beside this ladder
   * (not being replaced by it), per side: they count against the limit too.
   */
  readonly liveExposure?: { readonly buy: DecimalInput; readonly sell: DecimalInput };
}

export interface TrimmedLadder extends Ladder {
  /** Per side: true when the limit removed or shrank at least one level. */
  readonly limited: { readonly buy: boolean; readonly sell: boolean };
}

/**
 * Trims a ladder so that no order, filled completely together with every other live
 * order of ours on its side, takes |position| past `maxPosition`:
 * `position + Σ bids + live buys ≤ maxPosition` and
 * `position − Σ asks − live sells ≥ −maxPosition`.
 *
 * Levels are removed from the outside in. The innermost level must fit at its full
 * size, else the side is not quoted at all (near the limit we stop adding to that side
 * rather than quote crumbs). An outer level that only partly fits is cut to the room
 * left, down to the lot step; one that would be cut to zero is dropped with every level
 * outside it. The reducing side always has room up to 2 × maxPosition, so it is only
 * trimmed when a ladder is that deep.
 */
export function trimToPositionLimit(ladder: Ladder, limit: PositionLimit): TrimmedLadder {
  const position = readDecimal("position", limit.position);
  const maxPosition = readDecimal("maxPosition", limit.maxPosition);
  const qtyStep = readDecimal("qtyStep", limit.qtyStep);
  for (const [field, value, input] of [
    ["maxPosition", maxPosition, limit.maxPosition],
    ["qtyStep", qtyStep, limit.qtyStep],
  ] as const) {
    if (sign(value) <= 0) {
      throw new ConfigError(`${field} must be > 0, got ${describeValue(input)}`, field, input);
    }
  }
  const liveBuy = readDecimal("liveExposure.buy", limit.liveExposure?.buy ?? ZERO);
  const liveSell = readDecimal("liveExposure.sell", limit.liveExposure?.sell ?? ZERO);

  const bidRoom = sub(sub(maxPosition, position), liveBuy);
  const askRoom = sub(add(maxPosition, position), liveSell);
  const bids = trimSide(ladder.bids, bidRoom, qtyStep);
  const asks = trimSide(ladder.asks, askRoom, qtyStep);
  const kept = new Set(
    [...bids.levels, ...asks.levels].map((level) => `${level.side}:${level.level}`),
  );
  return {
    ...ladder,
    bids: bids.levels,
    asks: asks.levels,
    pushedOut: ladder.pushedOut.filter((pushed) => kept.has(`${pushed.side}:${pushed.level}`)),
    limited: { buy: bids.limited, sell: asks.limited },
  };
}

function trimSide(
  levels: readonly Level[],
  room: Decimal,
  qtyStep: Decimal,
): { levels: Level[]; limited: boolean } {
  const kept: Level[] = [];
  let left = room;
  for (const level of levels) {
    const quantity = readDecimal("quantity", level.quantity);
    if (gte(left, quantity)) {
      kept.push(level);
      left = sub(left, quantity);
      continue;
    }
    // The innermost level goes in whole or not at all.
    if (kept.length === 0) return { levels: [], limited: true };
    const cut = quantize(min(left, quantity), qtyStep, "down");
    if (sign(cut) > 0 && !lt(cut, qtyStep)) {
      kept.push({ ...level, quantity: formatDecimal(normalize(cut), normalize(qtyStep).scale) });
    }
    return { levels: kept, limited: true };
  }
  return { levels: kept, limited: false };
}
