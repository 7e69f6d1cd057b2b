import { describe, expect, it } from "vitest";
import { coveredUntil, pollByPriority, type WatchedOrder } from "../src/fill-watch.ts";
import { parseDecimal, type Side } from "../src/index.ts";

describe("coveredUntil", () => {
  it("follows overlapping and touching intervals from the start", () => {
    expect(
      coveredUntil(
        [
          { from: 1, to: 5 },
          { from: 5, to: 9 },
          { from: 8, to: 12 },
        ],
        3,
      ),
    ).toBe(12);
    expect(
      coveredUntil(
        [
          { from: 8, to: 12 },
          { from: 1, to: 5 },
        ],
        3,
      ),
    ).toBe(5); // gap 5..8
    expect(coveredUntil([{ from: 4, to: 9 }], 3)).toBeUndefined(); // starts after
    expect(coveredUntil([{ from: 1, to: 2 }], 3)).toBeUndefined(); // ends before
    expect(coveredUntil([], 3)).toBeUndefined();
  });
});

const order = (
  side: Side,
  price: string,
  knownAt: number,
  restingBy?: number,
  liveAt?: number,
): WatchedOrder & { name: string } => ({
  name: `${side}@${price}`,
  side,
  price: parseDecimal(price),
  knownAt,
  ...(restingBy === undefined ? {} : { restingBy }),
  ...(liveAt === undefined ? {} : { liveAt }),
});

describe("pollByPriority", () => {
  const live = (now: number) => async (o: WatchedOrder) => {
    o.knownAt = now;
    o.liveAt = now;
    return true;
  };

  it("polls the best of each side and infers the rest when the best rested before they were known", async () => {
    const orders = [
      order("buy", "99", 5, 2, 5),
      order("buy", "98", 5, 2, 5),
      order("sell", "101", 5, 2, 5),
      order("sell", "102", 5, 2, 5),
    ];
    const polled: string[] = [];
    const counts = await pollByPriority(orders, [], 10, async (o) => {
      polled.push((o as (typeof orders)[number]).name);
      return live(11)(o);
    });
    expect(polled.sort()).toEqual(["buy@99", "sell@101"]);
    expect(counts).toEqual({ polled: 2, inferred: 2 });
    expect(orders[1]!.knownAt).toBe(11);
  });

  it("polls a deeper order when the better one started resting after it was last known", async () => {
    // buy@98 known at 3, buy@99 only resting from 4: a taker could have hit 98 at 3..4.
    const orders = [order("buy", "99", 3, 4, 4), order("buy", "98", 3, 2, 3)];
    const counts = await pollByPriority(orders, [], 10, live(11));
    expect(counts).toEqual({ polled: 2, inferred: 0 });
  });

  it("a cancelled order's barrier bridges the time before its replacement rested", async () => {
    // old best (cancelled at 8, resting 1..8) then new best resting from 6: covers 3..now.
    const orders = [order("buy", "99.5", 5, 6), order("buy", "98", 3, 1, 3)];
    const retired = [{ side: "buy" as const, price: parseDecimal("99"), from: 1, to: 8 }];
    const counts = await pollByPriority(orders, retired, 10, live(11));
    expect(counts).toEqual({ polled: 1, inferred: 1 });
  });

  it("never infers from an order at the same price (time priority may favour the other)", async () => {
    const orders = [order("sell", "101", 5, 2, 5), order("sell", "101", 5, 2, 5)];
    const counts = await pollByPriority(orders, [], 10, live(11));
    expect(counts.polled).toBe(2);
  });

  it("keeps going when the best order was filled", async () => {
    const orders = [
      order("buy", "99", 5, 2, 5),
      order("buy", "98", 5, 2, 5),
      order("buy", "97", 5, 2, 5),
    ];
    const names: string[] = [];
    await pollByPriority(orders, [], 10, async (o) => {
      names.push((o as (typeof orders)[number]).name);
      if (names.length === 1) return false; // gone
      return live(11)(o);
    });
    expect(names).toEqual(["buy@99", "buy@98"]);
  });
});
