import { createPriceTrust, type PriceTrust } from "@matchingo-mm/price-sources";
import type { RunnerConfig } from "../config/types.ts";

/**
 * When a symbol's price is trusted (issue 22): a first price (at start, and after
 * MAX_PRICE_AGE_SECONDS without an accepted one) needs two sources agreeing within
 * MAX_SOURCE_DEVIATION_PERCENT or FIRST_PRICE_CONFIRMATIONS rounds of one; a jump beyond
 * MAX_JUMP_PERCENT a second source or JUMP_ACCEPT_SECONDS of every source saying it; and
 * the price must lie within PRICE_MIN..PRICE_MAX. Offline (synthetic, replay) a first
 * price is taken as it comes.
 */
export function priceTrustOf(config: RunnerConfig, offline = false): PriceTrust {
  const bySymbol = new Map(config.symbols.map((symbol) => [symbol.symbol, symbol]));
  return createPriceTrust((symbol) => {
    const settings = bySymbol.get(symbol);
    return {
      maxJumpPercent: config.maxJumpPercent,
      maxDeviationPercent: config.maxSourceDeviationPercent,
      // A local walk or tape is no market a second source could confirm.
      confirmations: offline ? 1 : config.firstPriceConfirmations,
      jumpAcceptMs: config.jumpAcceptMs,
      ...(settings === undefined
        ? {}
        : {
            maxGapMs: settings.maxPriceAgeMs,
            ...(settings.priceMin === undefined ? {} : { priceMin: settings.priceMin }),
            ...(settings.priceMax === undefined ? {} : { priceMax: settings.priceMax }),
          }),
    };
  });
}
