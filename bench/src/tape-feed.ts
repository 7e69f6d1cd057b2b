import { PriceError, type PriceFeed, type PriceTick } from "@matchingo-mm/core";

/** A `PriceFeed` that answers the price last set: the bench moves it one tick per cycle. */
export interface TapeFeed extends PriceFeed {
  set(price: string): void;
}

export function createTapeFeed(symbol: string): TapeFeed {
  let current: string | undefined;
  return {
    set(price) {
      current = price;
    },
    async latest(asked) {
      if (asked !== symbol || current === undefined) {
        throw new PriceError(`tape has no price for ${asked}`, {
          kind: "unknown-symbol",
          source: "tape",
          symbol: asked,
        });
      }
      return { symbol, price: current, receivedAt: Date.now(), source: "tape" } satisfies PriceTick;
    },
  };
}
