import { add, compare, formatDecimal, normalize, parseDecimal, ZERO } from "@matchingo-mm/core";
import type { VenueOrder } from "@matchingo-mm/venue";
import type { BookDepth, DepthLevel } from "../status/runner-status.ts";

/** Price levels shown a side: the ladder's default three and some room past it. */
export const DEPTH_LEVELS = 8;

/**
 * The book of one symbol by price level, our resting quantity apart from everyone
 * else's, best first. Built from the embedded venue's live orders, read in the process:
 * no GetOrderBookState, which a real Matchingo can crash on (see `depth` in status/runner-status.ts).
 */
export function bookDepth(
  orders: readonly VenueOrder[],
  ourAddress: string,
  levels = DEPTH_LEVELS,
): BookDepth {
  const side = (which: "buy" | "sell"): DepthLevel[] => {
    const byPrice = new Map<
      string,
      {
        price: string;
        ours: ReturnType<typeof parseDecimal>;
        others: ReturnType<typeof parseDecimal>;
      }
    >();
    for (const order of orders) {
      if (order.side !== which) continue;
      const key = formatDecimal(normalize(parseDecimal(order.price)));
      const level = byPrice.get(key) ?? { price: order.price, ours: ZERO, others: ZERO };
      const quantity = parseDecimal(order.remainingQuantity);
      if (order.userAddress === ourAddress) level.ours = add(level.ours, quantity);
      else level.others = add(level.others, quantity);
      byPrice.set(key, level);
    }
    const sign = which === "buy" ? -1 : 1;
    return [...byPrice.values()]
      .sort((a, b) => sign * compare(parseDecimal(a.price), parseDecimal(b.price)))
      .slice(0, levels)
      .map((level) => ({
        price: level.price,
        ours: formatDecimal(normalize(level.ours)),
        others: formatDecimal(normalize(level.others)),
      }));
  };
  return { bids: side("buy"), asks: side("sell") };
}
