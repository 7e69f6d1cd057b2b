import { computeLadder } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import { ladderProblems, type RestingOrder } from "../src/ladder-live.ts";
import { ladderParams } from "../src/quoter.ts";

const ladder = computeLadder("50000.00", ladderParams(3));
const live = (user = "mm"): RestingOrder[] =>
  [...ladder.bids, ...ladder.asks].map((level) => ({
    side: level.side,
    // The venue prints 3 fractional digits.
    price: `${level.price}0`,
    remainingQuantity: `${level.quantity}`,
    userAddress: user,
  }));

describe("ladderProblems", () => {
  it("accepts the exact ladder as the venue prints it, whatever others rest", () => {
    expect(ladderProblems(ladder, [...live(), ...live("other")], "mm")).toEqual([]);
  });

  it("names a missing level and a side with too many orders", () => {
    const orders = live().filter((order) => order.price !== `${ladder.bids[1]!.price}0`);
    expect(ladderProblems(ladder, orders, "mm")).toEqual([
      "buy: 2 of our orders rest, the ladder has 3",
      `buy level 2 (${ladder.bids[1]!.price} x ${ladder.bids[1]!.quantity}) is not live`,
    ]);
    const extra = [...live(), { ...live()[0]!, price: "1.000" }];
    expect(ladderProblems(ladder, extra, "mm")).toEqual([
      "buy: 4 of our orders rest, the ladder has 3",
    ]);
  });

  it("takes an order within the tolerance, and only then", () => {
    // 49975.00 moved by 10.00 is 0.02% off its target.
    const moved = live().map((order, i) =>
      i === 0 ? { ...order, price: (Number(order.price) - 10).toFixed(3) } : order,
    );
    expect(ladderProblems(ladder, moved, "mm", "0.05")).toEqual([]);
    expect(ladderProblems(ladder, moved, "mm", "0")).toHaveLength(1);
  });

  it("wants the level's size", () => {
    const small = live().map((order) => ({ ...order, remainingQuantity: "0.005" }));
    expect(ladderProblems(ladder, small, "mm")).toHaveLength(6);
  });
});
