import type { PriceTick } from "@matchingo-mm/core";
import type { ChainEvent } from "./events.ts";
import type { TrustRules, TrustVerdict } from "./trust.ts";

/**
 * How an accepted price is announced, the same in the chain and in median mode: a
 * confirmed jump names its confirming source; a first price (or a jump, by time) that
 * earned trust is `price-trusted`; nothing for a price within the guard of the last one,
 * nor for a lone first answer taken as it comes (one confirmation earned nothing to report).
 */
export function trustedEvent(
  symbol: string,
  tick: PriceTick,
  verdict: TrustVerdict & { trusted: true },
  rules: TrustRules,
  confirmation: () => { readonly by: string; readonly price: string },
): ChainEvent | undefined {
  if (verdict.how === "jump-confirmed") {
    const { by, price } = confirmation();
    return {
      type: "jump-confirmed",
      symbol,
      tick,
      lastPrice: verdict.from ?? "",
      confirmedBy: by,
      confirmingPrice: price,
    };
  }
  if (verdict.how === "reference" || (verdict.how === "held" && rules.confirmations <= 1)) {
    return undefined;
  }
  return {
    type: "price-trusted",
    symbol,
    tick,
    how: verdict.how,
    confirmedBy: verdict.confirmedBy,
    ...(verdict.from === undefined ? {} : { from: verdict.from }),
  };
}
