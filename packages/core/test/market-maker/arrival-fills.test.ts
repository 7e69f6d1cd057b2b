import { expect, it } from "vitest";
import type { FillEvent, PlacedOrder } from "../../src/index.ts";
import { fakeClock, fakeFeed, seedMarketMaker } from "../fakes.ts";

/**
 * Issue 22: a bid placed off a bad price (5000000) crossed someone's sell at 50100; the
 * fill was booked at our limit 4,997,500 instead of the 50,100 it traded at. A crossing
 * create trades at the resting order's price, which the venue's answer carries.
 */
it("books a fill on arrival at the resting order's price, not at our limit", async () => {
  const clock = fakeClock();
  const { mm, venue, events } = seedMarketMaker(fakeFeed(clock, "5000000.00"), clock, {
    ladder: {
      levels: 1,
      baseSpreadPercent: "0.1",
      priceStepPercent: "0.05",
      orderSize: "0.01",
      priceTick: "0.01",
      qtyStep: "0.001",
    },
  });
  const place = venue.placeOrder.bind(venue);
  venue.placeOrder = async (order, options): Promise<PlacedOrder> => {
    const placed = await place(order, options);
    if (order.side !== "buy") return placed;
    // The bid met two resting sells: 0.004 at 50100 and 0.006 at 50150.
    venue.fill(order.orderId);
    return {
      ...placed,
      status: "filled",
      filledQuantity: "0.010",
      remainingQuantity: "0.000",
      trades: [
        { price: "50100.000", quantity: "0.004" },
        { price: "50150.000", quantity: "0.006" },
      ],
    };
  };
  await mm.runCycle();
  const fills = events.filter((e): e is FillEvent => e.type === "fill");
  expect(fills.map((f) => [f.side, f.price, f.quantity, f.remaining, f.via])).toEqual([
    ["buy", "50100.000", "0.004", "0.006", "place-response"],
    ["buy", "50150.000", "0.006", "0", "place-response"],
  ]);
  expect(fills.map((f) => f.price)).not.toContain("4997500.00");
  const risk = mm.snapshot().risk;
  expect(risk.position).toBe("0.01");
  // Cost of the position: 0.004 x 50100 + 0.006 x 50150 = 501.3 (at our limit: 49,975).
  expect(Number(risk.costBasis)).toBe(501.3);
});

it("books at our limit what the venue's trades do not account for", async () => {
  const clock = fakeClock();
  const { mm, venue, events } = seedMarketMaker(fakeFeed(clock, "50000.00"), clock);
  const place = venue.placeOrder.bind(venue);
  let done = false;
  venue.placeOrder = async (order, options): Promise<PlacedOrder> => {
    const placed = await place(order, options);
    if (order.side !== "buy" || done) return placed;
    done = true;
    venue.fill(order.orderId, "0.004");
    return {
      ...placed,
      status: "partially-filled",
      filledQuantity: "0.004",
      remainingQuantity: "0.006",
      trades: [{ price: "49970.000", quantity: "0.001" }],
    };
  };
  await mm.runCycle();
  const fills = events.filter((e): e is FillEvent => e.type === "fill");
  expect(fills.map((f) => [f.price, f.quantity, f.remaining])).toEqual([
    ["49970.000", "0.001", "0.009"],
    ["49975.00", "0.003", "0.006"],
  ]);
});
