import type { VenueOrder } from "@matchingo-mm/venue";
import { expect, it } from "vitest";
import { bookDepth } from "../src/sandbox/depth.ts";

const order = (
  side: "buy" | "sell",
  price: string,
  remaining: string,
  user: string,
): VenueOrder => ({
  book: "BTC-USDT",
  orderId: `${user}-${side}-${price}`,
  side,
  price,
  quantity: remaining,
  remainingQuantity: remaining,
  filledQuantity: "0",
  userAddress: user,
  createdAt: new Date(0),
});

it("groups the book by level, ours apart from everyone else's, best first, exact decimals", () => {
  const depth = bookDepth(
    [
      order("buy", "49975.000", "0.010", "mm-01"),
      order("buy", "49975.000", "0.125", "alice"),
      order("buy", "49950.000", "0.010", "mm-01"),
      order("buy", "49990.000", "0.300", "bob"),
      order("sell", "50050.000", "0.010", "mm-01"),
      order("sell", "50025.000", "0.004", "mm-01"),
      order("sell", "50025.000", "0.006", "mm-01"),
    ],
    "mm-01",
  );
  expect(depth.bids).toEqual([
    { price: "49990.000", ours: "0", others: "0.3" },
    { price: "49975.000", ours: "0.01", others: "0.125" },
    { price: "49950.000", ours: "0.01", others: "0" },
  ]);
  expect(depth.asks).toEqual([
    { price: "50025.000", ours: "0.01", others: "0" },
    { price: "50050.000", ours: "0.01", others: "0" },
  ]);
  expect(bookDepth([], "mm-01")).toEqual({ bids: [], asks: [] });
  const many = Array.from({ length: 20 }, (_, i) => order("sell", `${100 + i}.000`, "1", "x"));
  expect(bookDepth(many, "mm-01", 8).asks.map((level) => level.price)).toEqual(
    Array.from({ length: 8 }, (_, i) => `${100 + i}.000`),
  );
});
