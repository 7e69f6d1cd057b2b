import { describe, expect, it } from "vitest";
import { type LiveOrder, ordersOverLimit } from "../../src/index.ts";

const order = (
  orderId: string,
  side: "buy" | "sell",
  price: string,
  quantity: string,
): LiveOrder => ({
  orderId,
  side,
  level: 1,
  price,
  quantity,
});
const live = [
  order("b1", "buy", "99.9", "0.01"),
  order("b2", "buy", "99.8", "0.01"),
  order("b3", "buy", "99.7", "0.01"),
  order("a1", "sell", "100.1", "0.01"),
  order("a2", "sell", "100.2", "0.01"),
];

describe("ordersOverLimit", () => {
  it("is empty while every side, filled completely, stays within the limit", () => {
    expect(ordersOverLimit(live, { position: "0", maxPosition: "0.03" })).toEqual([]);
  });

  it("names the growing side's orders from the outside in, as few as needed", () => {
    // Long 0.015 of 0.03: the bids may add 0.015 more, so two of the three go.
    expect(ordersOverLimit(live, { position: "0.015", maxPosition: "0.03" })).toEqual(["b3", "b2"]);
    // At the limit: every bid goes, the asks (reducing) stay.
    expect(ordersOverLimit(live, { position: "0.03", maxPosition: "0.03" })).toEqual([
      "b3",
      "b2",
      "b1",
    ]);
    // Short at the limit: every ask goes, the highest first.
    expect(ordersOverLimit(live, { position: "-0.03", maxPosition: "0.03" })).toEqual(["a2", "a1"]);
  });

  it("counts uncertain creates as resting", () => {
    const withUncertain = [...live, { ...order("u", "buy", "99.95", "0.01"), uncertain: true }];
    expect(ordersOverLimit(withUncertain, { position: "0", maxPosition: "0.03" })).toEqual(["b3"]);
  });
});
