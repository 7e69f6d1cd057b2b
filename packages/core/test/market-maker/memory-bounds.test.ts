import { expect, it } from "vitest";
import { type FillEvent, formatOrderId, parseDecimal } from "../../src/index.ts";
import { pollFills } from "../../src/market-maker/fill-poll.ts";
import { forgetOrder } from "../../src/market-maker/order-bookkeeping.ts";
import { applyStreamFill } from "../../src/market-maker/stream-fills.ts";
import type { TrackedOrder } from "../../src/market-maker/tracked-orders.ts";
import { fakeClock, fakeFillFeed } from "../fakes.ts";
import { testContext } from "./test-context.ts";

function withStream() {
  const t = testContext();
  const ports = t.ctx.ports as { fills?: unknown };
  ports.fills = fakeFillFeed(fakeClock());
  return t;
}

function order(n: number, extra: Partial<TrackedOrder> = {}): TrackedOrder {
  return {
    orderId: formatOrderId({
      marketMakerId: "mm-01",
      side: "sell",
      level: 1,
      timestamp: 1_700_000_000_000 + n,
    }),
    side: "sell",
    level: 1,
    price: parseDecimal("50050"),
    priceText: "50050.00",
    quantity: "0.01",
    remaining: parseDecimal("0.01"),
    state: "live",
    afterBookReset: false,
    ...extra,
  } as TrackedOrder;
}

it("does not remember cancelled orders that never traded: a day of requotes leaves the settled set empty", async () => {
  const { ctx } = withStream();
  for (let n = 0; n < 20_000; n++) {
    const each = order(n);
    ctx.orders.add(each);
    await forgetOrder(ctx, each);
  }
  expect(ctx.orders.all()).toHaveLength(0);
  expect(ctx.settled.all()).toHaveLength(0);
});

it("remembers an order with something booked, reported or shown filled", async () => {
  const { ctx } = withStream();
  const booked = order(1, { booked: parseDecimal("0.004") });
  const streamed = order(2, { streamed: parseDecimal("0.002") });
  const shown = order(3, { venueFilled: { quantity: parseDecimal("0.01"), since: 0 } });
  for (const each of [booked, streamed, shown, order(4)]) {
    ctx.orders.add(each);
    await forgetOrder(ctx, each);
  }
  expect(ctx.settled.all().map((s) => s.orderId)).toEqual(
    [booked, streamed, shown].map((o) => o.orderId),
  );
});

it("still books a late stream fill of a forgotten order that never traded, once", async () => {
  const { ctx, events } = withStream();
  const cancelled = order(7);
  ctx.orders.add(cancelled);
  await forgetOrder(ctx, cancelled);
  const fill = {
    orderId: cancelled.orderId,
    role: "maker" as const,
    price: "50050.00",
    quantity: "0.01",
    key: "late/1",
    receivedAt: 0,
  };
  expect(await applyStreamFill(ctx, fill)).toBe(true);
  expect(await applyStreamFill(ctx, fill)).toBe(false);
  const fills = events.filter((e): e is FillEvent => e.type === "fill");
  expect(fills).toMatchObject([
    { orderId: cancelled.orderId, quantity: "0.01", price: "50050.00", via: "stream" },
  ]);
  expect(ctx.ledger.pnl.position).toBe("-0.01");
});

it("bounds the settled set at its limit, oldest dropped first", () => {
  const { ctx } = withStream();
  for (let n = 0; n < 10_500; n++) {
    ctx.settled.add(order(n, { booked: parseDecimal("0.001") }));
  }
  const all = ctx.settled.all();
  expect(all).toHaveLength(10_000);
  expect(all[0]!.orderId).toBe(order(500).orderId);
});

it("drops the poll barriers of cancelled orders even when no poll runs (the stream is live, or polling is off)", async () => {
  for (const fillPolling of ["off", "priority"] as const) {
    const { ctx } = withStream();
    (ctx.settings as { fillPolling: string }).fillPolling = fillPolling;
    (ctx.settings as { reconcileIntervalMs: number }).reconcileIntervalMs = 3_600_000;
    const tracked = order(1, { knownAt: 500 } as Partial<TrackedOrder>);
    ctx.orders.add(tracked);
    for (let n = 0; n < 1_000; n++) {
      ctx.orders.retired.push({ side: "sell", price: parseDecimal("50050"), from: n, to: n + 1 });
    }
    // Every cycle asks for fills; the live stream spares the polls until its reconciliation.
    for (let cycle = 0; cycle < 3; cycle++) await pollFills(ctx);
    // Only the barriers that still reach the tracked order (known since 500) are kept.
    expect(ctx.orders.retired.length).toBe(501);
    expect(ctx.orders.retired.every((b) => b.to >= 500)).toBe(true);
  }
});
