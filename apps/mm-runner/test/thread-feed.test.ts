import type { PriceTick } from "@matchingo-mm/core";
import { expect, it } from "vitest";
import { createThreadFeed } from "../src/workers/thread/feed.ts";

/** The main thread's price answer is not asked for here. */
const noHost = { price: () => Promise.reject(new Error("not asked")) };

const tick = (symbol: string, price: string): PriceTick => ({
  symbol,
  price,
  receivedAt: 1,
  source: "binance",
});

it("offers subscribe only when the main thread pushes ticks", () => {
  expect(createThreadFeed(noHost).subscribe).toBeUndefined();
  expect(createThreadFeed(noHost, { pushed: true }).subscribe).toBeTypeOf("function");
});

it("hands pushed ticks to the subscribers of their symbol until they unsubscribe", () => {
  const feed = createThreadFeed(noHost, { pushed: true });
  const seen: string[] = [];
  const unsubscribe = feed.subscribe!("BTC-USDT", (t) => seen.push(t.price));
  feed.subscribe!("ETH-USDT", () => {
    throw new Error("a bad listener does not stop the others");
  });
  feed.push(tick("ETH-USDT", "3000"));
  feed.push(tick("BTC-USDT", "50000"));
  unsubscribe();
  feed.push(tick("BTC-USDT", "50001"));
  expect(seen).toEqual(["50000"]);
});
