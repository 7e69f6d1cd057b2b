import {
  computeLadder,
  formatDecimal,
  type LadderParams,
  normalize,
  parseDecimal,
} from "@matchingo-mm/core";

/** The seed's ladder as the fault scenarios run it (env below and `LADDER_ENV` agree). */
export const LADDER: LadderParams = {
  levels: 3,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.001",
  qtyStep: "0.001",
};

export const LADDER_ENV: Record<string, string> = {
  NUM_LEVELS: "3",
  BASE_SPREAD_PERCENT: "0.1",
  PRICE_STEP_PERCENT: "0.05",
  ORDER_SIZE: "0.01",
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
