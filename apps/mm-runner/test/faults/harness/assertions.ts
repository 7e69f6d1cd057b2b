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
