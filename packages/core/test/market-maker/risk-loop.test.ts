import { describe, expect, it } from "vitest";
import {
  add,
  ConfigError,
  type FillEvent,
  gt,
  type MarketMakerOptions,
  type OrderCanceledEvent,
  parseDecimal,
  ZERO,
} from "../../src/index.ts";
import { executePlan } from "../../src/market-maker/execute-plan.ts";
import { reactToRisk } from "../../src/market-maker/risk-reaction.ts";
import { parseRisk } from "../../src/risk/risk-settings.ts";
import { fakeClock, fakeFeed, seedMarketMaker } from "../fakes.ts";
import { testContext } from "./test-context.ts";

const BOOK = "BTC-USDT";

function setup(overrides: Partial<MarketMakerOptions> = {}) {
  const clock = fakeClock();
  const feed = fakeFeed(clock, "50000.00");
  const { mm, venue, events } = seedMarketMaker(feed, clock, overrides);
  const side = (which: "buy" | "sell") =>
    venue
      .live(BOOK)
      .filter((o) => o.side === which)
      .sort((a, b) => Number(b.price) - Number(a.price));
  const fills = () => events.filter((e): e is FillEvent => e.type === "fill");
  const cancels = (reason: string) =>
    events.filter(
      (e): e is OrderCanceledEvent => e.type === "order-canceled" && e.reason === reason,
    );
  return { mm, venue, feed, events, side, fills, cancels };
}

const sum = (orders: readonly { quantity: string }[]) =>
  orders.reduce((total, o) => add(total, parseDecimal(o.quantity)), ZERO);

describe("position limit in the loop", () => {
  it("trims the ladder to the limit, and the filled side shrinks as fills come in", async () => {
    const t = setup({ risk: { maxPosition: "0.02" } });
    await t.mm.runCycle();
    expect(t.side("buy").map((o) => o.price)).toEqual(["49975.00", "49950.00"]);
    expect(t.side("sell")).toHaveLength(2);

    t.venue.fill(t.side("buy")[0]!.orderId);
    await t.mm.runCycle();
    expect(t.fills()).toHaveLength(1);
    expect(t.fills()[0]).toMatchObject({ via: "poll", position: "0.01", fee: "0" });
    expect(t.side("buy")).toHaveLength(1);
    expect(t.side("sell")).toHaveLength(3);

    t.venue.fill(t.side("buy")[0]!.orderId);
    await t.mm.runCycle();
    expect(t.mm.snapshot().position).toBe("0.02");
    expect(t.side("buy")).toEqual([]);
    expect(t.side("sell")).toHaveLength(3);
    // And it stays so: the next cycles place no bid.
    await t.mm.runCycle();
    expect(t.side("buy")).toEqual([]);
    expect(t.mm.snapshot().risk).toMatchObject({ maxPosition: "0.02", position: "0.02" });
  });

  it("never has bids resting that could pass the limit, even while a requote makes before it breaks", async () => {
    const t = setup({ risk: { maxPosition: "0.03" } });
    const breaches: string[] = [];
    const place = t.venue.placeOrder.bind(t.venue);
    t.venue.placeOrder = async (order, options) => {
      const position = parseDecimal(t.mm.snapshot().position);
      const same = t.venue.live(BOOK).filter((o) => o.side === order.side);
      const exposure = add(sum(same), parseDecimal(order.quantity));
      const room =
        order.side === "buy"
          ? add(parseDecimal("0.03"), { ...position, units: -position.units })
          : add(parseDecimal("0.03"), position);
      if (gt(exposure, room)) breaches.push(`${order.orderId} ${order.price}`);
      return place(order, options);
    };
    await t.mm.runCycle();
    expect(t.side("buy")).toHaveLength(3);
    // Price moves two whole steps: diff would place new bids before cancelling old ones.
    for (const price of ["50050.00", "49950.00", "50100.00"]) {
      t.feed.script(price);
      await t.mm.runCycle();
      expect(t.side("buy")).toHaveLength(3);
    }
    t.venue.fill(t.side("buy")[0]!.orderId, "0.005");
    t.feed.script("50000.00");
    await t.mm.runCycle();
    expect(breaches).toEqual([]);
    expect(t.venue.crossings).toEqual([]);
  });

  it("cancels the orders over the limit in the reaction, outermost first, with reason limit", async () => {
    const { ctx, venue, events } = testContext();
    ctx.risk = parseRisk({ maxPosition: "0.03" });
    const plan = ctx.settings.requoter.plan({
      book: BOOK,
      target: {
        reference: "50000",
        bids: [1, 2, 3].map((level) => ({
          side: "buy" as const,
          level,
          price: String(50000 - 25 * level),
          quantity: "0.01",
        })),
        asks: [],
      },
      live: [],
      orderId: (side, level) => `mm-01-${side}-${level}-1`,
    });
    await executePlan(ctx, plan, undefined);
    expect(venue.live(BOOK)).toHaveLength(3);
    // The limit comes down (an operator, a restored position): room for one bid only.
    ctx.risk = parseRisk({ maxPosition: "0.01" });
    await reactToRisk(ctx);
    expect(venue.live(BOOK).map((o) => o.price)).toEqual(["49975"]);
    const limited = events.filter((e) => e.type === "order-canceled" && e.reason === "limit");
    expect(limited.map((e) => (e as OrderCanceledEvent).price)).toEqual(["49925", "49950"]);
  });

  it("says how a fill was learned when a cancel finds the order gone", async () => {
    const t = setup({ risk: { maxPosition: "0.05" }, fillPolling: "off" });
    await t.mm.runCycle();
    t.venue.fill(t.side("buy")[2]!.orderId);
    t.feed.script("50100.00");
    await t.mm.runCycle();
    expect(t.fills()).toEqual([
      expect.objectContaining({ via: "cancel-found-gone", side: "buy", quantity: "0.01" }),
    ]);
  });
});

describe("a cancel whose answer was lost", () => {
  for (const next of ["cancel again", "poll"] as const) {
    it(`books no fill when the order is then found gone (${next})`, async () => {
      const t = setup({ fillPolling: next === "poll" ? "all" : "off" });
      await t.mm.runCycle();
      const lost = new Set<string>();
      t.venue.onCancel = (_book, orderId) => {
        if (lost.has(orderId)) return undefined;
        lost.add(orderId);
        return "canceled-then-unknown";
      };
      t.feed.script("50100.00");
      await t.mm.runCycle(); // the requote's cancels land, their answers are lost
      expect(lost.size).toBeGreaterThan(0);
      t.venue.onCancel = undefined;
      await t.mm.runCycle(); // cancelled again (or polled): the venue says gone
      await t.mm.runCycle();
      expect(t.fills()).toEqual([]);
      expect(t.mm.snapshot()).toMatchObject({ position: "0", fills: 0 });
      const settled = t.events.filter(
        (e): e is OrderCanceledEvent => e.type === "order-canceled" && e.fillUnknown === true,
      );
      expect(settled.map((e) => e.orderId).sort()).toEqual([...lost].sort());
      // Settled with the reason of the requote's cancel that got no answer.
      for (const event of settled) {
        expect(event.outcome).toBe("already-gone");
        expect(["stale", "crossed"]).toContain(event.reason);
      }
      // Nothing of the old ladder is still tracked.
      expect(
        t.mm
          .snapshot()
          .orders.map((o) => o.orderId)
          .filter((id) => lost.has(id)),
      ).toEqual([]);
    });
  }

  it("still books a fill when a cancel that did not get through finds the order gone", async () => {
    const t = setup({ fillPolling: "off" });
    await t.mm.runCycle();
    const filled = t.side("buy")[2]!.orderId;
    t.venue.fill(filled);
    t.feed.script("50100.00");
    await t.mm.runCycle();
    expect(t.fills()).toEqual([
      expect.objectContaining({ orderId: filled, via: "cancel-found-gone" }),
    ]);
  });
});

describe("skew in the loop", () => {
  it("places the ladder around P × (1 − skew% × position / limit)", async () => {
    const t = setup({
      risk: { maxPosition: "0.04", inventorySkewPercent: "0.2" },
      restored: {
        pnl: {
          position: "0.02",
          costBasis: "1000",
          realized: "0",
          fees: "0",
          volume: "1000",
          fills: 2,
        },
      },
    });
    await t.mm.runCycle();
    // Centre 49950: bids 49925, 49900 (room 0.02), asks 49975, 50000, 50025.
    expect(t.side("buy").map((o) => o.price)).toEqual(["49925.00", "49900.00"]);
    expect(t.side("sell").map((o) => o.price)).toEqual(["50025.00", "50000.00", "49975.00"]);
    expect(t.mm.snapshot()).toMatchObject({ position: "0.02", fills: 2 });
  });
});

describe("loss kill switch", () => {
  const long = {
    pnl: { position: "0.01", costBasis: "500", realized: "0", fees: "0", volume: "500", fills: 1 },
  };

  it("halts on a falling mark: every quote cancelled (reason halt), nothing placed until resume", async () => {
    const t = setup({ risk: { maxPosition: "0.05", maxLoss: "1.5" }, restored: long });
    await t.mm.runCycle();
    expect(t.venue.live(BOOK)).toHaveLength(6);
    t.feed.script("49900.00"); // unrealized −1
    await t.mm.runCycle();
    expect(t.mm.snapshot().state).toBe("quoting");
    t.feed.script("49850.00"); // unrealized −1.5: reached
    const report = await t.mm.runCycle();
    expect(report).toMatchObject({ outcome: "halted", placed: 0 });
    expect(t.venue.live(BOOK)).toEqual([]);
    expect(t.cancels("halt").length).toBeGreaterThan(0);
    const halted = t.events.find((e) => e.type === "halted");
    expect(halted).toMatchObject({ realized: "0", unrealized: "-1.5", position: "0.01" });
    expect((halted as { reason: string }).reason).toContain("reached MAX_LOSS 1.5");
    const snapshot = t.mm.snapshot();
    expect(snapshot.state).toBe("halted");
    expect(snapshot.risk.halted?.reason).toContain("MAX_LOSS");

    // The price recovers: still halted, nothing placed.
    t.feed.script("50000.00");
    expect(await t.mm.runCycle()).toMatchObject({ outcome: "halted", placed: 0 });
    expect(t.venue.live(BOOK)).toEqual([]);

    t.mm.resume();
    expect(t.events.at(-1)).toMatchObject({ type: "resumed" });
    expect((t.events.at(-1) as { halted?: string }).halted).toContain("MAX_LOSS");
    expect(await t.mm.runCycle()).toMatchObject({ outcome: "quoted", placed: 6 });
  });

  it("halts on a fill that realizes the loss, and skips the rest of that plan's places", async () => {
    const t = setup({ risk: { maxLoss: "0.2", makerFeeBps: "10" } });
    await t.mm.runCycle();
    // Our best bid (49975) is filled, then the price falls 1%: unrealized ≈ −5.
    t.venue.fill(t.side("buy")[0]!.orderId);
    t.feed.script("49500.00");
    const report = await t.mm.runCycle();
    expect(report.outcome).toBe("halted");
    expect(t.fills()[0]).toMatchObject({ fee: "0.49975", realized: "-0.49975", via: "poll" });
    expect(t.venue.live(BOOK)).toEqual([]);
  });

  it("starts halted when told (a halt kept from an earlier run)", async () => {
    const t = setup({ halted: "kill switch: loss 3 reached MAX_LOSS 2" });
    expect(t.mm.snapshot()).toMatchObject({ state: "halted" });
    expect(await t.mm.runCycle()).toMatchObject({ outcome: "halted", placed: 0 });
    t.mm.resume();
    expect(await t.mm.runCycle()).toMatchObject({ outcome: "quoted", placed: 6 });
  });

  it("trips on drawdown from the peak since start", async () => {
    const t = setup({ risk: { maxDrawdown: "1" }, restored: long });
    await t.mm.runCycle();
    t.feed.script("50100.00"); // +1 peak
    await t.mm.runCycle();
    t.feed.script("50000.00"); // back to 0: a drawdown of 1
    expect(await t.mm.runCycle()).toMatchObject({ outcome: "halted" });
    expect(t.mm.snapshot().risk).toMatchObject({ peak: "1", unrealized: "0" });
  });
});

describe("risk options", () => {
  it("refuses bad risk settings, naming each", () => {
    let error: unknown;
    try {
      setup({
        risk: { maxPosition: "0", inventorySkewPercent: "-1", maxLoss: "x", maxDrawdown: "-2" },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.field)).toEqual([
      "maxPosition",
      "inventorySkewPercent",
      "maxLoss",
      "maxDrawdown",
    ]);
  });

  it("refuses skew without a position limit", () => {
    expect(() => setup({ risk: { inventorySkewPercent: "0.2" } })).toThrow(/needs maxPosition/);
  });
});

describe("limit guard", () => {
  it("a fill learned mid-plan keeps the plan's later creates from passing the limit", async () => {
    // Fills are learned only when a cancel finds an order gone (no polling).
    const t = setup({ risk: { maxPosition: "0.02" }, fillPolling: "off" });
    await t.mm.runCycle();
    const bids = t.side("buy");
    expect(bids).toHaveLength(2);
    // Both bids are taken between cycles: we are at the limit and do not know it yet.
    for (const bid of bids) t.venue.fill(bid.orderId);
    const placed: string[] = [];
    const place = t.venue.placeOrder.bind(t.venue);
    t.venue.placeOrder = async (order, options) => {
      placed.push(`${order.side} ${order.price}`);
      return place(order, options);
    };
    t.feed.script("49900.00"); // every bid is replaced: break first, then make
    const report = await t.mm.runCycle();
    expect(t.fills().map((f) => f.via)).toEqual(["cancel-found-gone", "cancel-found-gone"]);
    expect(t.mm.snapshot().position).toBe("0.02");
    // The new bids were planned at position 0, but none was sent.
    expect(placed.filter((p) => p.startsWith("buy"))).toEqual([]);
    expect(report.skipped).toBeGreaterThan(0);
    expect(t.side("buy")).toEqual([]);
    // The next cycle plans at the known position: still no bid, and room for three asks.
    t.feed.script("49900.00");
    await t.mm.runCycle();
    expect(t.side("buy")).toEqual([]);
    expect(t.side("sell")).toHaveLength(3);
  });
});

describe("updateRisk", () => {
  it("a lowered limit cancels what no longer fits at the next cycle (reason limit); null removes it", async () => {
    const t = setup({ risk: { maxPosition: "0.03" } });
    await t.mm.runCycle();
    expect(t.side("buy")).toHaveLength(3);
    t.mm.updateRisk({ maxPosition: "0.01" });
    expect(t.mm.risk()).toMatchObject({ maxPosition: "0.01" });
    expect(t.events.at(-1)).toMatchObject({ type: "risk-changed" });
    await t.mm.runCycle();
    expect(t.side("buy").map((o) => o.price)).toEqual(["49975.00"]);
    expect(t.cancels("limit").map((e) => e.price)).toEqual(
      expect.arrayContaining(["49925.00", "49950.00"]),
    );
    t.mm.updateRisk({ maxPosition: null });
    expect(t.mm.risk().maxPosition).toBeUndefined();
    await t.mm.runCycle();
    expect(t.side("buy")).toHaveLength(3);
  });

  it("refuses a bad change naming every problem, and changes nothing", () => {
    const t = setup({ risk: { maxPosition: "0.03" } });
    const before = t.mm.risk();
    let error: unknown;
    try {
      t.mm.updateRisk({ maxPosition: "-1", maxLoss: "0", bogus: "1" } as never);
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.field)).toEqual(["bogus"]);
    expect(() => t.mm.updateRisk({ maxPosition: "-1", maxLoss: "0" })).toThrow(ConfigError);
    try {
      t.mm.updateRisk({ maxPosition: "-1", maxLoss: "0" });
    } catch (e) {
      expect((e as ConfigError).problems.map((p) => p.field)).toEqual(["maxPosition", "maxLoss"]);
    }
    expect(t.mm.risk()).toEqual(before);
  });
});
