import { describe, expect, it, vi } from "vitest";
import { ConfigError, type PriceTick, parseDecimal, VenueError } from "../../src/index.ts";
import { cancelEverything } from "../../src/market-maker/cancel-everything.ts";
import { cancelOrder } from "../../src/market-maker/cancel-order.ts";
import { executePlan } from "../../src/market-maker/execute-plan.ts";
import { createFillLedger } from "../../src/market-maker/fill-ledger.ts";
import { nextSlot } from "../../src/market-maker/next-slot.ts";
import { placeOrder } from "../../src/market-maker/place-order.ts";
import {
  applyQuoteParams,
  describeQuoteParams,
  parseQuoteParams,
} from "../../src/market-maker/quote-params.ts";
import { quoteTarget } from "../../src/market-maker/quote-target.ts";
import { createRequoteTrigger, priceMovedBeyond } from "../../src/market-maker/requote-trigger.ts";
import { createTrackedOrders } from "../../src/market-maker/tracked-orders.ts";
import { parseRisk } from "../../src/risk/risk-settings.ts";
import { SEED_LADDER } from "../fakes.ts";
import { testContext } from "./test-context.ts";

const d = parseDecimal;
const intent = (side: "buy" | "sell", level: number, price: string) => ({
  book: "BTC-USDT",
  orderId: `mm-01-${side}-${level}-1`,
  side,
  price,
  quantity: "0.01",
});

describe("priceMovedBeyond", () => {
  it("wants a ladder when none is live, and only moves beyond the tolerance otherwise", () => {
    expect(priceMovedBeyond(undefined, "1", d("5"))).toBe(true);
    expect(priceMovedBeyond(d("100"), "100", d("0"))).toBe(false);
    expect(priceMovedBeyond(d("100"), "100.01", d("0"))).toBe(true);
    expect(priceMovedBeyond(d("100"), "100.1", d("0.1"))).toBe(false);
    expect(priceMovedBeyond(d("100"), "99.9", d("0.1"))).toBe(false);
    expect(priceMovedBeyond(d("100"), "100.1000001", d("0.1"))).toBe(true);
  });
});

describe("createRequoteTrigger", () => {
  const tick = (price: string): PriceTick => ({
    symbol: "X",
    price,
    receivedAt: 0,
    source: "t",
  });

  it("coalesces, spaces starts by the interval, never runs two at once, and stops cleanly", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const started: string[] = [];
      let running = 0;
      let most = 0;
      let release: (() => void) | undefined;
      const trigger = createRequoteTrigger({
        now: () => Date.now(),
        minIntervalMs: () => 100,
        wanted: (t) => t.price !== "skip",
        requote: async (t) => {
          started.push(`${t.price}@${Date.now()}`);
          most = Math.max(most, ++running);
          await new Promise<void>((r) => {
            release = r;
          });
          running--;
        },
      });
      const t0 = Date.now();
      trigger.offer(tick("1"));
      trigger.offer(tick("2"));
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([`2@${t0}`]);
      trigger.offer(tick("3"));
      trigger.offer(tick("4"));
      await vi.advanceTimersByTimeAsync(300); // still in flight: nothing new starts
      expect(started).toHaveLength(1);
      release?.();
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toEqual([`2@${t0}`, `4@${t0 + 300}`]);
      release?.();
      await vi.advanceTimersByTimeAsync(0);
      trigger.offer(tick("skip")); // not wanted: dropped, does not count as a start
      await vi.advanceTimersByTimeAsync(100);
      trigger.offer(tick("5"));
      await vi.advanceTimersByTimeAsync(0);
      expect(started.at(-1)).toBe(`5@${t0 + 400}`);
      trigger.offer(tick("6"));
      const stopped = trigger.stop();
      release?.();
      await stopped;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(started).toHaveLength(3);
      expect(most).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never starts early on its own clock, though a timer may fire a little before it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      // A timer counts from the loop's cached time, which may be up to 1 ms behind the
      // clock when it is set: it can fire when the clock shows 249 ms of a 250 ms wait.
      let lag = 0;
      const now = () => Date.now() - lag;
      const starts: number[] = [];
      const trigger = createRequoteTrigger({
        now,
        minIntervalMs: () => 250,
        wanted: () => true,
        requote: async () => {
          starts.push(now());
        },
      });
      trigger.offer(tick("1"));
      await vi.advanceTimersByTimeAsync(0);
      trigger.offer(tick("2")); // its wait is set on the clock as it reads now...
      lag = 1; // ...and the timer fires 1 ms early by that clock
      await vi.advanceTimersByTimeAsync(250);
      expect(starts).toHaveLength(1); // its timer fired, but the clock says 249 ms
      await vi.advanceTimersByTimeAsync(1);
      expect(starts).toHaveLength(2);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(250);
      await trigger.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("counts the interval from when a requote really started (it may wait for a lock)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const starts: number[] = [];
      const trigger = createRequoteTrigger({
        now: () => Date.now(),
        minIntervalMs: () => 250,
        wanted: () => true,
        requote: async () => {
          // The first one waits 30 ms for a full cycle to let go of the lock.
          if (starts.length === 0) await new Promise((r) => setTimeout(r, 30));
          starts.push(Date.now());
          return Date.now();
        },
      });
      trigger.offer(tick("1")); // fires at 0, starts at 30
      await vi.advanceTimersByTimeAsync(10);
      trigger.offer(tick("2")); // waits its turn
      await vi.advanceTimersByTimeAsync(269); // t = 279: 279 ms after the first fired
      expect(starts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(starts).toHaveLength(2);
      expect(starts[1]! - starts[0]!).toBe(250);
      await trigger.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("nextSlot", () => {
  it("waits for the next multiple of the interval and counts slots an overrun passed", () => {
    expect(nextSlot({ now: 1_050, startedAt: 1_000, minWaitMs: 0, intervalMs: 100 })).toEqual({
      slot: 11,
      waitMs: 50,
      missedSlots: 0,
    });
    expect(
      nextSlot({ now: 1_350, startedAt: 1_000, minWaitMs: 0, intervalMs: 100, scheduledSlot: 10 }),
    ).toEqual({ slot: 14, waitMs: 50, missedSlots: 3 });
  });

  it("respects the back-off and then counts nothing as missed", () => {
    expect(nextSlot({ now: 1_010, startedAt: 1_000, minWaitMs: 400, intervalMs: 100 })).toEqual({
      slot: 14,
      waitMs: 390,
    });
  });
});

describe("quote params", () => {
  const current = parseQuoteParams({
    ladder: SEED_LADDER,
  });

  it("defaults the tolerance to 0, the requote interval to 100 ms and the model's settings", () => {
    expect(describeQuoteParams(current)).toEqual({
      levels: 3,
      baseSpreadPercent: "0.1",
      priceStepPercent: "0.05",
      orderSize: "0.01",
      sizes: ["0.01", "0.01", "0.01"],
      refreshTolerancePercent: "0",
      minRequoteIntervalMs: 100,
      asGamma: "0.1",
      asKappa: "1.5",
      volatilityWindowMs: 60_000,
    });
  });

  it("applies a valid change and leaves the rest", () => {
    const next = applyQuoteParams(current, { baseSpreadPercent: "0.2", levels: 5 });
    expect(describeQuoteParams(next)).toMatchObject({
      levels: 5,
      baseSpreadPercent: "0.2",
      priceStepPercent: "0.05",
    });
    expect(describeQuoteParams(current).levels).toBe(3);
  });

  it("names every problem at once, unknown keys included", () => {
    let error: unknown;
    try {
      applyQuoteParams(current, {
        levels: 0,
        baseSpreadPercent: "-1",
        orderSize: "0.0001",
        refreshTolerancePercent: "x",
        minRequoteIntervalMs: -1,
        priceTick: "0.1",
      } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.field).sort()).toEqual([
      "baseSpreadPercent",
      "levels",
      "minRequoteIntervalMs",
      "orderSize",
      "priceTick",
      "refreshTolerancePercent",
    ]);
    expect((error as ConfigError).message).toContain("6 problems");
  });
});

describe("quoteTarget", () => {
  it("is the seed's ladder around the price, whatever the position, without risk rules", () => {
    const params = parseQuoteParams({
      ladder: {
        levels: 1,
        baseSpreadPercent: "0.1",
        priceStepPercent: "0",
        orderSize: "0.01",
        priceTick: "0.01",
        qtyStep: "0.001",
      },
    });
    const target = quoteTarget({ price: "50000", params, position: d("3"), risk: parseRisk({}) });
    expect(target.bids.map((l) => l.price)).toEqual(["49975.00"]);
    expect(target.asks.map((l) => l.price)).toEqual(["50025.00"]);
  });

  it("skews the centre by the position and trims the growing side to the limit", () => {
    const params = parseQuoteParams({
      ladder: SEED_LADDER,
    });
    const risk = parseRisk({ maxPosition: "0.04", inventorySkewPercent: "0.2" });
    // Long half the limit: centre 50000 × (1 − 0.002 × 0.5) = 49950; 0.02 of room for bids.
    const target = quoteTarget({ price: "50000", params, position: d("0.02"), risk });
    expect(target.center).toBe("49950");
    expect(target.bids.map((l) => [l.price, l.quantity])).toEqual([
      ["49925.00", "0.010"],
      ["49900.00", "0.010"],
    ]);
    expect(target.asks.map((l) => [l.price, l.quantity])).toEqual([
      ["49975.00", "0.010"],
      ["50000.00", "0.010"],
      ["50025.00", "0.010"],
    ]);
  });
});

describe("fill ledger and tracked orders", () => {
  it("books fills into volume and position, and refuses nothing-fills", () => {
    const ledger = createFillLedger();
    expect(ledger.record("buy", d("100"), d("0"), d("0"))).toBeUndefined();
    ledger.record("buy", d("100"), d("0.5"), d("0"));
    ledger.record("sell", d("102"), d("0.2"), d("0"));
    expect(ledger.totals()).toEqual({
      fills: 2,
      volume: { base: "0.7", quote: "70.4" },
      position: "0.3",
    });
    // Average cost 100: the 0.2 sold at 102 realized 0.4.
    expect(ledger.pnl).toMatchObject({ realized: "0.4", costBasis: "30", position: "0.3" });
  });

  it("starts from a restored P&L and charges the maker fee", () => {
    const ledger = createFillLedger({
      pnl: { position: "1", costBasis: "100", realized: "5", fees: "0", volume: "100", fills: 1 },
      baseVolume: "1",
    });
    expect(ledger.position).toEqual(d("1"));
    // Sell 1 at 110 with 10 bps: +10 realized, −0.11 fee.
    const after = ledger.record("sell", d("110"), d("1"), d("10"));
    expect(after).toMatchObject({ position: "0", realized: "14.89", fees: "0.11", fills: 2 });
    expect(ledger.totals()).toEqual({
      fills: 2,
      volume: { base: "2", quote: "210" },
      position: "0",
    });
  });

  it("counts live per side, uncertain apart, and finds our best prices", () => {
    const orders = createTrackedOrders();
    const add = (id: string, side: "buy" | "sell", price: string, state: "live" | "uncertain") =>
      orders.add({
        orderId: id,
        side,
        level: 1,
        price: d(price),
        priceText: price,
        quantity: "1",
        remaining: d("1"),
        state,
        afterBookReset: false,
        knownAt: orders.nextSequence(),
      });
    add("a", "buy", "99", "live");
    add("b", "buy", "98", "live");
    add("c", "sell", "101", "uncertain");
    add("d", "sell", "102", "live");
    expect(orders.counts()).toEqual({ live: { buy: 2, sell: 1 }, uncertain: 1 });
    expect(orders.bestPrices()).toEqual({ bestBid: "99", bestAsk: "102" });
    expect(orders.planInput().find((o) => o.orderId === "c")).toMatchObject({ uncertain: true });
    expect(orders.remove("a")).toBe(true);
    expect(orders.remove("a")).toBe(false);
  });
});

describe("placing and cancelling", () => {
  it("journals before the create is sent and tracks the order from then on", async () => {
    const { ctx, venue, journal } = testContext();
    let journaledFirst = false;
    venue.onPlace = (order) => {
      journaledFirst = journal.open.has(order.orderId) && ctx.orders.has(order.orderId);
      return undefined;
    };
    await placeOrder(ctx, { kind: "place", order: intent("buy", 1, "99.00"), level: 1, after: [] });
    expect(journaledFirst).toBe(true);
    expect(ctx.orders.get("mm-01-buy-1-1")).toMatchObject({ state: "live" });
    expect(ctx.stats).toMatchObject({ placed: 1, rpcs: { placeOrder: 1 } });
  });

  it("skips a create while an order it would cross may still rest", async () => {
    const { ctx, venue } = testContext();
    await placeOrder(ctx, {
      kind: "place",
      order: intent("sell", 1, "100.00"),
      level: 1,
      after: [],
    });
    venue.onCancel = () => new VenueError("down", { kind: "unavailable" });
    await executePlan(
      ctx,
      {
        mode: "diff",
        phases: [
          [
            {
              kind: "cancel",
              orderId: "mm-01-sell-1-1",
              side: "sell",
              price: "100.00",
              reason: "crossed",
            },
          ],
          [
            {
              kind: "place",
              order: intent("buy", 1, "100.50"),
              level: 1,
              after: ["mm-01-sell-1-1"],
            },
          ],
        ],
        keep: [],
      },
      undefined,
    );
    expect(ctx.stats).toMatchObject({ skipped: 1, failed: 1 });
    expect(venue.live("BTC-USDT").map((o) => o.orderId)).toEqual(["mm-01-sell-1-1"]);
    expect(venue.crossings).toEqual([]);
  });

  it("a cancel that finds a live order gone books it as filled", async () => {
    const { ctx, venue, events } = testContext();
    await placeOrder(ctx, { kind: "place", order: intent("buy", 1, "99.00"), level: 1, after: [] });
    venue.fill("mm-01-buy-1-1");
    expect(await cancelOrder(ctx, "mm-01-buy-1-1", "stale")).toBe("already-gone");
    expect(events.filter((e) => e.type === "fill")).toHaveLength(1);
    expect(ctx.ledger.totals().position).toBe("0.01");
    expect(ctx.orders.size).toBe(0);
  });

  it("cancelEverything retries until the venue confirms, within the deadline", async () => {
    const { ctx, venue, journal } = testContext();
    await placeOrder(ctx, { kind: "place", order: intent("buy", 1, "99.00"), level: 1, after: [] });
    await placeOrder(ctx, {
      kind: "place",
      order: intent("sell", 1, "101.00"),
      level: 1,
      after: [],
    });
    let failures = 0;
    venue.onCancel = () =>
      failures++ < 2 ? new VenueError("down", { kind: "unavailable" }) : undefined;
    const summary = await cancelEverything(ctx, performance.now() + 5_000, "pause");
    expect(summary).toEqual({ canceled: 2, alreadyGone: 0, failed: [] });
    expect(journal.open.size).toBe(0);
  });
});
