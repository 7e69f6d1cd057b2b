import { expect } from "vitest";
import { samePrice } from "./ladder.ts";
import { ownedBy } from "./venue-record.ts";

interface Traded {
  readonly makerUserAddress?: string;
  readonly takerUserAddress?: string;
  readonly makerOrderId?: string;
  readonly takerOrderId?: string;
}

/** The venue holds none of our orders. */
export function expectNoneOfOursLive(
  marketMakerId: string,
  live: ReadonlyArray<{ readonly userAddress: string; readonly orderId: string }>,
): void {
  const ours = live.filter((order) => ownedBy(marketMakerId)(order.userAddress));
  expect(ours.map((order) => order.orderId)).toEqual([]);
}

/** No trade on the venue had us on both sides. */
export function expectNoSelfTrade(marketMakerId: string, trades: readonly Traded[]): void {
  const ours = ownedBy(marketMakerId);
  const selfTrades = trades.filter(
    (trade) => ours(trade.makerUserAddress ?? "") && ours(trade.takerUserAddress ?? ""),
  );
  expect(selfTrades).toEqual([]);
}

/** Every order the venue ever saw from us is priced from an accepted reference price. */
export function expectPricedOnlyFrom(
  created: ReadonlyArray<{ readonly orderId: string; readonly price: string }>,
  allowed: ReadonlySet<string>,
): void {
  const strays = created
    .filter((order) => !allowed.has(samePrice(order.price)))
    .map((order) => `${order.orderId} @ ${order.price}`);
  expect(strays).toEqual([]);
}

/**
 * Replays the venue's events: at no moment did we hold more than one order for a ladder
 * level (same side, same level number in the order id) besides the one being replaced.
 * A diff requote is make-before-break (core's planner): the new order of a level lands
 * before the old one is cancelled, so two live orders of one level for the length of one
 * requote are by design; a third (a create that landed unseen and was never cancelled,
 * next to the old order and its replacement) is the failure this looks for. That the
 * ladder settles to exactly one order per level is checked against the live book.
 */
export function expectNoStrayPerLevel(
  marketMakerId: string,
  events: ReadonlyArray<{
    readonly type: string;
    readonly orderId?: string;
    readonly userAddress?: string;
    readonly restingQuantity?: string;
  }>,
): void {
  const ours = ownedBy(marketMakerId);
  const live = new Map<string, string>();
  const strays: string[] = [];
  for (const event of events) {
    if (!event.orderId || !ours(event.userAddress ?? "")) continue;
    if (event.type === "order-created" && event.restingQuantity !== "0") {
      const level = /-(buy|sell)-(\d+)-\d+$/.exec(event.orderId);
      if (!level) continue;
      const key = `${level[1]}-${level[2]}`;
      const same = [...live.entries()].filter(([, other]) => other === key).map(([id]) => id);
      if (same.length >= 2) strays.push(`${key}: ${[...same, event.orderId].join(", ")}`);
      live.set(event.orderId, key);
    } else if (event.type === "order-canceled") {
      live.delete(event.orderId);
    }
  }
  expect(strays).toEqual([]);
}
