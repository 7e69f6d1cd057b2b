import {
  computeLadder,
  formatDecimal,
  type LadderParams,
  normalize,
  parseDecimal,
} from "@matchingo-mm/core";
import { SEED_ENV, SEED_LADDER } from "@matchingo-mm/testkit";

/** The seed's ladder as the fault scenarios run it (env below and `LADDER_ENV` agree). */
export const LADDER: LadderParams = { ...SEED_LADDER, priceTick: "0.001", qtyStep: "0.001" };

export const LADDER_ENV: Record<string, string> = {
  NUM_LEVELS: SEED_ENV.NUM_LEVELS!,
  BASE_SPREAD_PERCENT: SEED_ENV.BASE_SPREAD_PERCENT!,
  PRICE_STEP_PERCENT: SEED_ENV.PRICE_STEP_PERCENT!,
  ORDER_SIZE: SEED_ENV.ORDER_SIZE!,
  PRICE_TICK: "0.001",
  QTY_STEP: "0.001",
};

/** `49975.000` and `49975` are the same price. */
export const samePrice = (price: string): string => formatDecimal(normalize(parseDecimal(price)));

/** Every order price a reference price can produce, normalized. */
export function ladderPrices(price: string, params: LadderParams = LADDER): Set<string> {
  const ladder = computeLadder(price, params);
  return new Set([...ladder.bids, ...ladder.asks].map((level) => samePrice(level.price)));
}

/** The ladder of one reference price: bids best first, asks best first, normalized. */
export function ladderOf(price: string, params: LadderParams = LADDER) {
  const ladder = computeLadder(price, params);
  return {
    bids: ladder.bids.map((level) => samePrice(level.price)),
    asks: ladder.asks.map((level) => samePrice(level.price)),
  };
}

/** Union of the ladders of every accepted reference price. */
export function pricesDerivableFrom(references: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const reference of references) for (const price of ladderPrices(reference)) all.add(price);
  return all;
}
