import type { VenueEvent, VenueOrder } from "@matchingo-mm/venue";
import { describe, expect, it } from "vitest";
import { createDepthWatch } from "../src/venue-thread/depth-watch.ts";

const time = new Date(0);
const created = (orderId: string, side: "buy" | "sell", userAddress = "mm"): VenueEvent => ({
  type: "order-created",
  book: "B",
  orderId,
  side,
  orderType: "limit",
  timeInForce: "GTC",
  price: "100.000",
  quantity: "1.000",
  filledQuantity: "0",
  restingQuantity: "1.000",
  status: "OPEN",
  userAddress,
  time,
});
const canceled = (orderId: string): VenueEvent => ({
  type: "order-canceled",
  book: "B",
  orderId,
  remainingQuantity: "1.000",
  userAddress: "mm",
  time,
});
const resting = (orderId: string, side: "buy" | "sell"): VenueOrder => ({
  book: "B",
  orderId,
  side,
  price: "100.000",
  quantity: "1.000",
  remainingQuantity: "1.000",
  filledQuantity: "0",
  userAddress: "mm",
  createdAt: time,
});

const full = () => [
  resting("b1", "buy"),
  resting("b2", "buy"),
  resting("s1", "sell"),
  resting("s2", "sell"),
];

describe("depth watch", () => {
  it("counts no gap when the replacement rests before the cancel (make-before-break)", () => {
    const watch = createDepthWatch({
      book: "B",
      userAddress: "mm",
      levels: 2,
      resting: full(),
      now: 0,
    });
    watch.onEvent(created("b3", "buy"), 1);
    watch.onEvent(canceled("b1"), 2);
    expect(watch.report(3)).toMatchObject({ gapMs: 0, minBuy: 2, minSell: 2, buy: 2, sell: 2 });
  });

  it("adds up the time a side spends below N (cancel first, then place)", () => {
    const watch = createDepthWatch({
      book: "B",
      userAddress: "mm",
      levels: 2,
      resting: full(),
      now: 0,
    });
    watch.onEvent(canceled("s1"), 10);
    watch.onEvent(canceled("b1"), 12);
    watch.onEvent(created("b3", "buy"), 15);
    watch.onEvent(created("s3", "sell"), 17.5);
    const report = watch.report(20);
    expect(report.gapMs).toBeCloseTo(7.5);
    expect(report).toMatchObject({ minBuy: 1, minSell: 1, buy: 2, sell: 2, events: 4 });
    // The next period starts clean.
    expect(watch.report(30)).toMatchObject({ gapMs: 0, events: 0 });
  });

  it("ignores other users and other books, and counts an order traded away", () => {
    const watch = createDepthWatch({
      book: "B",
      userAddress: "mm",
      levels: 2,
      resting: full(),
      now: 0,
    });
    watch.onEvent(created("x", "buy", "someone-else"), 1);
    watch.onEvent({ ...canceled("b1"), book: "OTHER" }, 2);
    watch.onEvent(
      {
        type: "trade",
        book: "B",
        takerOrderId: "t",
        makerOrderId: "s1",
        takerUserAddress: "taker",
        makerUserAddress: "mm",
        takerSide: "buy",
        price: "100.000",
        quantity: "1.000",
        time,
      },
      5,
    );
    const report = watch.report(9);
    expect(report.gapMs).toBe(4);
    expect(report).toMatchObject({ buy: 2, sell: 1 });
  });

  it("reports an open gap up to the report and carries it on", () => {
    const watch = createDepthWatch({
      book: "B",
      userAddress: "mm",
      levels: 2,
      resting: full(),
      now: 0,
    });
    watch.onEvent(canceled("b1"), 4);
    expect(watch.report(10).gapMs).toBe(6);
    watch.onEvent(created("b3", "buy"), 13);
    expect(watch.report(20).gapMs).toBe(3);
  });
});
