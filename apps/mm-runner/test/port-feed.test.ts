import type { PriceTick } from "@matchingo-mm/core";
import { expect, it } from "vitest";
import { createPortFeed } from "../src/workers/port-feed.ts";

const tick = (symbol: string, price: string): PriceTick => ({
  symbol,
  price,
  receivedAt: 1,
  source: "binance",
});

it("offers subscribe only when the main thread pushes ticks", () => {
  expect(createPortFeed({ postMessage: () => {} }).subscribe).toBeUndefined();
  expect(createPortFeed({ postMessage: () => {} }, { pushed: true }).subscribe).toBeTypeOf(
    "function",
  );
});

it("hands pushed ticks to the subscribers of their symbol until they unsubscribe", () => {
  const feed = createPortFeed({ postMessage: () => {} }, { pushed: true });
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
