import { describe, expect, it } from "vitest";
import {
  ConfigError,
  createMarketMaker,
  type MarketMakerEvent,
  type MarketMakerOptions,
  type OrderIntent,
  PriceError,
  parseOrderId,
  VenueError,
} from "../src/index.ts";
import { fakeClock, fakeFeed, fakeVenue, SEED_LADDER, seedMarketMaker, waitFor } from "./fakes.ts";

function setup(
  overrides: Partial<MarketMakerOptions> = {},
  prices: (string | Error)[] = ["50000.00"],
) {
  const clock = fakeClock();
  const feed = fakeFeed(clock, ...prices);
  const { mm, venue, journal, events } = seedMarketMaker(feed, clock, {
    intervalMs: 5,
    ...overrides,
  });
  const of = <T extends MarketMakerEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<MarketMakerEvent, { type: T }> => e.type === type);
  const livePrices = (side: "buy" | "sell") =>
    venue
      .live("BTC-USDT")
      .filter((o) => o.side === side)
      .map((o) => o.price)
      .sort();
  return { clock, feed, venue, journal, events, mm, of, livePrices };
}

const placeAndCancel = (calls: ReturnType<typeof fakeVenue>["calls"]) =>
  calls.flatMap((c) =>
    c.method === "placeOrder"
      ? [`place ${c.orderId} ${c.price}`]
      : c.method === "cancelOrder"
        ? [`cancel ${c.orderId}`]
        : [],
  );

describe("the loop: the seed's cycle (replace-all)", () => {
  it("cycle 1 places six, cycle 2 cancels those six then places six, to the cent", async () => {
    const { mm, venue, feed, livePrices } = setup({ requoteMode: "replace-all" });
    const first = await mm.runCycle();
    expect(first).toMatchObject({ outcome: "quoted", placed: 6, canceled: 0, price: "50000.00" });
    const cycle1 = placeAndCancel(venue.calls);
    const ts1 = parseOrderId(cycle1[0]!.split(" ")[1]!, "mm-01")!.timestamp;
    expect(cycle1).toEqual([
      `place mm-01-buy-1-${ts1} 49975.00`,
      `place mm-01-sell-1-${ts1} 50025.00`,
      `place mm-01-buy-2-${ts1} 49950.00`,
      `place mm-01-sell-2-${ts1} 50050.00`,
      `place mm-01-buy-3-${ts1} 49925.00`,
      `place mm-01-sell-3-${ts1} 50075.00`,
    ]);

    feed.script("50100.00");
    venue.calls.length = 0;
    const second = await mm.runCycle();
    expect(second).toMatchObject({ placed: 6, canceled: 6, live: { buy: 3, sell: 3 } });
    const cycle2 = placeAndCancel(venue.calls);
    const ts2 = parseOrderId(cycle2[6]!.split(" ")[1]!, "mm-01")!.timestamp;
    expect(ts2).toBeGreaterThan(ts1);
    expect(cycle2).toEqual([
      ...["buy-1", "sell-1", "buy-2", "sell-2", "buy-3", "sell-3"].map(
        (x) => `cancel mm-01-${x}-${ts1}`,
      ),
      `place mm-01-buy-1-${ts2} 50074.95`,
      `place mm-01-sell-1-${ts2} 50125.05`,
      `place mm-01-buy-2-${ts2} 50049.90`,
      `place mm-01-sell-2-${ts2} 50150.10`,
      `place mm-01-buy-3-${ts2} 50024.85`,
      `place mm-01-sell-3-${ts2} 50175.15`,
    ]);
    expect(livePrices("buy")).toEqual(["50024.85", "50049.90", "50074.95"]);
    expect(livePrices("sell")).toEqual(["50125.05", "50150.10", "50175.15"]);
    expect(venue.crossings).toEqual([]);
  });

  it("two cycles requested at once run one after the other", async () => {
    const { mm, venue } = setup({ requoteMode: "replace-all" }, ["50000", "50100"]);
    venue.latencyMs = 2;
    await Promise.all([mm.runCycle(), mm.runCycle()]);
    const calls = placeAndCancel(venue.calls);
    const lastPlaceOfFirst = calls.findIndex((c) => c.includes("sell-3"));
    const firstCancel = calls.findIndex((c) => c.startsWith("cancel"));
    expect(lastPlaceOfFirst).toBeLessThan(firstCancel);
    expect(venue.live("BTC-USDT")).toHaveLength(6);
  });
});

describe("the loop: diff mode", () => {
  it("reaches the seed's prices and leaves an unchanged ladder alone", async () => {
    const { mm, feed, venue, livePrices } = setup({}, ["50000.00"]);
    await mm.runCycle();
    // The first look polls all six: they were placed concurrently, so a taker could have
    // reached level 2 before level 1 rested.
    expect((await mm.runCycle()).rpcs.getOrder).toBe(6);
    const steady = await mm.runCycle();
    expect(steady).toMatchObject({ placed: 0, canceled: 0, kept: 6, live: { buy: 3, sell: 3 } });
    // From then on, fill polling by price priority: one GetOrder per side, plus one GetOrderBook.
    expect(steady.rpcs).toMatchObject({
      getOrder: 2,
      getBook: 1,
      placeOrder: 0,
      cancelOrder: 0,
      total: 3,
    });
    feed.script("50100.00");
    const moved = await mm.runCycle();
    expect(moved).toMatchObject({
      placed: 6,
      canceled: 6,
      bestBid: "50074.95",
      bestAsk: "50125.05",
    });
    expect(livePrices("buy")).toEqual(["50024.85", "50049.90", "50074.95"]);
    expect(livePrices("sell")).toEqual(["50125.05", "50150.10", "50175.15"]);
    expect(venue.crossings).toEqual([]);
  });

  it("after a requote, deeper levels are still known untouched without polling them", async () => {
    const { mm, feed } = setup({}, ["50000.00"]);
    await mm.runCycle();
    await mm.runCycle();
    feed.script("50001.00"); // moves every level by a cent: replace all, make-before-break
    await mm.runCycle();
    const after = await mm.runCycle();
    expect(after.rpcs.getOrder).toBe(2);
  });

  it("keeps every side at its full depth while requoting, even across a jump beyond the spread", async () => {
    const { mm, feed, venue } = setup({ concurrency: 8 }, ["50000"]);
    venue.latencyMs = 1;
    await mm.runCycle();
    const depth: number[] = [];
    const cancel = venue.cancelOrder.bind(venue);
    venue.cancelOrder = async (book, id, options) => {
      const outcome = await cancel(book, id, options);
      const orders = venue.live("BTC-USDT");
      depth.push(
        Math.min(
          ...(["buy", "sell"] as const).map((s) => orders.filter((o) => o.side === s).length),
        ),
      );
      return outcome;
    };
    for (const price of ["50010", "50100", "49800", "49801.5", "52000"]) {
      feed.script(price);
      const report = await mm.runCycle();
      expect(report).toMatchObject({ failed: 0, skipped: 0, live: { buy: 3, sell: 3 } });
    }
    expect(depth.length).toBeGreaterThan(10);
    expect(Math.min(...depth)).toBeGreaterThanOrEqual(3);
    expect(venue.crossings).toEqual([]);
  });

  it("runs a phase's RPCs concurrently, within the bound", async () => {
    const wide = setup({ concurrency: 8 });
    wide.venue.latencyMs = 3;
    await wide.mm.runCycle();
    expect(wide.venue.maxInFlight).toBeGreaterThan(2);
    const narrow = setup({ concurrency: 2 });
    narrow.venue.latencyMs = 3;
    await narrow.mm.runCycle();
    expect(narrow.venue.maxInFlight).toBeLessThanOrEqual(2);
    expect(narrow.venue.live("BTC-USDT")).toHaveLength(6);
  });
});

describe("the loop: tracking stays exact when things fail", () => {
  it("one rejected create does not lose track of the others", async () => {
    const { mm, venue, journal, of } = setup({ requoteMode: "replace-all" }, ["50000", "50100"]);
    venue.onPlace = (order) =>
      order.orderId.includes("-sell-2-")
        ? new VenueError("order creation failed: nil order", { kind: "rejected" })
        : undefined;
    const report = await mm.runCycle();
    expect(report).toMatchObject({ placed: 5, failed: 1, live: { buy: 3, sell: 2 }, uncertain: 0 });
    const failed = of("order-failed")[0]!;
    expect(failed).toMatchObject({ action: "place", uncertain: false });
    expect(failed.error).toBeInstanceOf(VenueError);
    expect(
      mm
        .snapshot()
        .orders.map((o) => o.orderId)
        .sort(),
    ).toEqual(
      venue
        .live("BTC-USDT")
        .map((o) => o.orderId)
        .sort(),
    );
    expect([...journal.open].sort()).toEqual(
      venue
        .live("BTC-USDT")
        .map((o) => o.orderId)
        .sort(),
    );

    venue.onPlace = undefined;
    venue.calls.length = 0;
    const next = await mm.runCycle();
    expect(next.canceled).toBe(5);
    expect(placeAndCancel(venue.calls).filter((c) => c.startsWith("cancel"))).toHaveLength(5);
    expect(venue.live("BTC-USDT")).toHaveLength(6);
  });

  it("a create with an unknown outcome is tracked as uncertain, then confirmed live by GetOrder and kept", async () => {
    const { mm, venue, of } = setup({}, ["50000"]);
    venue.onPlace = (order) =>
      order.orderId.includes("-buy-1-") ? "created-then-unknown" : undefined;
    const first = await mm.runCycle();
    expect(first).toMatchObject({ placed: 5, failed: 1, uncertain: 1, live: { buy: 2, sell: 3 } });
    expect(of("order-failed")[0]).toMatchObject({ uncertain: true });
    const uncertainId = mm.snapshot().orders.find((o) => o.state === "uncertain")!.orderId;
    expect(venue.live("BTC-USDT").some((o) => o.orderId === uncertainId)).toBe(true);

    venue.onPlace = undefined;
    const second = await mm.runCycle();
    expect(second).toMatchObject({ uncertain: 0, live: { buy: 3, sell: 3 }, placed: 0 });
    // It landed at its target: ours, live, and kept rather than cancelled blind.
    expect(venue.live("BTC-USDT").some((o) => o.orderId === uncertainId)).toBe(true);
    expect(mm.snapshot().orders.find((o) => o.orderId === uncertainId)?.state).toBe("live");
    expect(of("order-canceled").find((e) => e.orderId === uncertainId)).toBeUndefined();
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    expect(venue.crossings).toEqual([]);
  });

  it("an uncertain create that never arrived is settled by an already-gone cancel", async () => {
    const { mm, venue } = setup({}, ["50000"]);
    venue.onPlace = (order) =>
      order.orderId.includes("-sell-3-")
        ? new VenueError("deadline", { kind: "deadline-exceeded" })
        : undefined;
    await mm.runCycle();
    expect(mm.snapshot().uncertain).toBe(1);
    venue.onPlace = undefined;
    const report = await mm.runCycle();
    expect(report).toMatchObject({ uncertain: 0, fills: 0, live: { buy: 3, sell: 3 } });
    expect(mm.snapshot().fills).toBe(0);
  });

  it("with uncertainGraceMs, a timed-out create that lands after a cancel found it missing is still tracked, and one order per level remains", async () => {
    const { mm, venue, clock, journal } = setup({ uncertainGraceMs: 5_000 }, ["50000"]);
    const late: OrderIntent[] = [];
    venue.onPlace = (order) => {
      if (!order.orderId.includes("-sell-3-")) return undefined;
      late.push(order); // the venue is still working on it
      return new VenueError("deadline", { kind: "deadline-exceeded" });
    };
    await mm.runCycle();
    venue.onPlace = undefined;
    clock.advance(1_000);
    // The cancel comes before the create: NOT_FOUND proves nothing yet.
    const second = await mm.runCycle();
    expect(second.uncertain).toBe(1);
    expect(journal.open.has(late[0]!.orderId)).toBe(true);
    await venue.placeOrder(late[0]!); // ... and now it lands
    clock.advance(1_000);
    await mm.runCycle();
    await mm.runCycle();
    const live = venue.live("BTC-USDT");
    expect(live).toHaveLength(6);
    expect(new Set(live.map((o) => `${o.side}@${o.price}`)).size).toBe(6);
    expect(mm.snapshot().uncertain).toBe(0);
    expect(
      mm
        .snapshot()
        .orders.map((o) => o.orderId)
        .sort(),
    ).toEqual(live.map((o) => o.orderId).sort());
  });

  it("with uncertainGraceMs, a create that never lands is settled once the grace has passed", async () => {
    const { mm, venue, clock, journal } = setup({ uncertainGraceMs: 5_000 }, ["50000"]);
    venue.onPlace = (order) =>
      order.orderId.includes("-buy-2-")
        ? new VenueError("deadline", { kind: "deadline-exceeded" })
        : undefined;
    await mm.runCycle();
    venue.onPlace = undefined;
    clock.advance(4_000);
    expect((await mm.runCycle()).uncertain).toBe(1);
    clock.advance(1_001);
    const settled = await mm.runCycle();
    expect(settled).toMatchObject({ uncertain: 0, fills: 0, live: { buy: 3, sell: 3 } });
    expect(journal.open.size).toBe(6);
  });

  it("a price error places nothing and keeps the quotes", async () => {
    const { mm, feed, venue, of } = setup({}, ["50000"]);
    await mm.runCycle();
    feed.script(new PriceError("all sources failed", { kind: "all-sources-failed" }));
    venue.calls.length = 0;
    const report = await mm.runCycle();
    expect(report).toMatchObject({
      outcome: "price-error",
      placed: 0,
      canceled: 0,
      live: { buy: 3, sell: 3 },
    });
    expect(venue.calls.some((c) => c.method === "placeOrder")).toBe(false);
    expect(of("price-error")[0]!.error).toBeInstanceOf(PriceError);
  });

  it("a stale tick is a price error", async () => {
    const { mm, feed, clock, of } = setup({ maxPriceAgeMs: 1_000 }, ["50000"]);
    feed.latest = async (symbol) => ({
      symbol,
      price: "50000",
      receivedAt: clock.now() - 5_000,
      source: "old",
    });
    const report = await mm.runCycle();
    expect(report).toMatchObject({ outcome: "price-error", placed: 0 });
    expect((of("price-error")[0]!.error as PriceError).kind).toBe("stale");
  });

  it("a price that gives no valid ladder places nothing", async () => {
    const { mm, of } = setup({}, ["0.001"]);
    const report = await mm.runCycle();
    expect(report).toMatchObject({ outcome: "ladder-error", placed: 0 });
    expect(of("ladder-error")[0]!.error.name).toBe("LadderError");
  });

  it("journals every order before its create is sent, and closes it once gone", async () => {
    const { mm, venue, journal, feed } = setup({}, ["50000"]);
    const seenBeforeCreate: boolean[] = [];
    const opened = journal.opened.bind(journal);
    journal.opened = (order) => {
      seenBeforeCreate.push(
        venue.calls.some((c) => c.method === "placeOrder" && c.orderId === order.orderId),
      );
      return opened(order);
    };
    await mm.runCycle();
    expect(seenBeforeCreate).toEqual([false, false, false, false, false, false]);
    feed.script("51000");
    await mm.runCycle();
    expect(journal.log.filter((l) => l.startsWith("closed"))).toHaveLength(6);
    expect([...journal.open].sort()).toEqual(
      venue
        .live("BTC-USDT")
        .map((o) => o.orderId)
        .sort(),
    );
  });

  it("a journal that fails to record means the order is not sent", async () => {
    const { mm, venue, journal, of } = setup({}, ["50000"]);
    journal.opened = () => Promise.reject(new Error("disk full"));
    const report = await mm.runCycle();
    expect(report).toMatchObject({ placed: 0, failed: 6 });
    expect(venue.calls.some((c) => c.method === "placeOrder")).toBe(false);
    expect(of("error")[0]).toMatchObject({ stage: "journal" });
  });
});

describe("the loop: fills", () => {
  it("counts full and partial fills, volume and position, and refills the levels", async () => {
    const { mm, venue, of } = setup({}, ["50000"]);
    await mm.runCycle();
    const ids = Object.fromEntries(
      venue.live("BTC-USDT").map((o) => [o.orderId.split("-").slice(2, 4).join("-"), o.orderId]),
    );
    venue.fill(ids["buy-1"]!);
    venue.fill(ids["buy-2"]!, "0.004");
    venue.fill(ids["sell-1"]!);
    const report = await mm.runCycle();
    expect(report.fills).toBe(3);
    const fills = of("fill");
    expect(fills.map((f) => [f.orderId, f.quantity, f.remaining]).sort()).toEqual(
      [
        [ids["buy-1"], "0.01", "0"],
        [ids["buy-2"], "0.004", "0.006"],
        [ids["sell-1"], "0.01", "0"],
      ].sort(),
    );
    const snap = mm.snapshot();
    expect(snap).toMatchObject({ fills: 3, position: "0.004" });
    // 0.01*49975 + 0.004*49950 + 0.01*50025 = 499.75 + 199.8 + 500.25
    expect(snap.volume).toEqual({ base: "0.024", quote: "1199.8" });
    // Refilled in the same cycle: full ladder, full sizes, seed prices.
    expect(report.live).toEqual({ buy: 3, sell: 3 });
    expect(venue.live("BTC-USDT").every((o) => o.quantity === "0.010")).toBe(true);
    expect(
      venue.remaining(
        snap.orders.find((o) => o.level === 2 && o.side === "buy")!.orderId,
        "BTC-USDT",
      ),
    ).toBe("0.010");
  });

  it("a cancel that finds an order gone counts it as filled", async () => {
    const { mm, venue, feed } = setup({ requoteMode: "replace-all", fillPolling: "off" }, [
      "50000",
    ]);
    await mm.runCycle();
    const sell3 = venue.live("BTC-USDT").find((o) => o.orderId.includes("-sell-3-"))!;
    venue.fill(sell3.orderId);
    feed.script("50001");
    const report = await mm.runCycle();
    expect(report.fills).toBe(1);
    expect(mm.snapshot().position).toBe("-0.01");
  });

  it("a venue restart that lost our orders is not counted as fills, and the ladder comes back", async () => {
    const { mm, venue, of } = setup({}, ["50000"]);
    await mm.runCycle();
    venue.restart();
    const report = await mm.runCycle();
    expect(of("venue-reset")).toEqual([
      expect.objectContaining({ reason: "book-recreated", lost: 6 }),
    ]);
    expect(report).toMatchObject({ fills: 0, placed: 6, live: { buy: 3, sell: 3 } });
    expect(mm.snapshot().fills).toBe(0);
    expect(venue.live("BTC-USDT")).toHaveLength(6);
  });

  it("a missing book is recreated through ensureBook and the ladder restored", async () => {
    let venue!: ReturnType<typeof fakeVenue>;
    const t = setup({ ensureBook: async () => venue.createBook("BTC-USDT") }, ["50000"]);
    venue = t.venue;
    await t.mm.runCycle();
    venue.restart({ keepBook: false });
    const report = await t.mm.runCycle();
    expect(t.of("venue-reset")).toEqual([
      expect.objectContaining({ reason: "book-missing", lost: 6 }),
    ]);
    expect(report).toMatchObject({ fills: 0, placed: 6, live: { buy: 3, sell: 3 } });
    expect(t.journal.open.size).toBe(6);
  });

  it("without ensureBook a missing book is a venue error and nothing is placed", async () => {
    const { mm, venue, of } = setup({}, ["50000"]);
    venue.restart({ keepBook: false });
    const report = await mm.runCycle();
    expect(report).toMatchObject({ outcome: "venue-error", placed: 0 });
    expect(of("error")[0]).toMatchObject({ stage: "venue-check" });
  });
});

describe("the loop: price outage", () => {
  it("pulls quotes when no price was accepted for longer than maxPriceAgeMs, and requotes after", async () => {
    const { mm, feed, clock, venue, of } = setup({ maxPriceAgeMs: 30_000 }, ["50000"]);
    await mm.runCycle();
    feed.script(new PriceError("down", { kind: "unreachable" }));
    clock.advance(20_000);
    expect((await mm.runCycle()).outcome).toBe("price-error");
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    clock.advance(11_000);
    const pulled = await mm.runCycle();
    expect(pulled).toMatchObject({ outcome: "pulled", canceled: 6, live: { buy: 0, sell: 0 } });
    expect(venue.live("BTC-USDT")).toHaveLength(0);
    expect(of("quotes-pulled")).toEqual([
      expect.objectContaining({ priceAgeMs: 31_000, orders: 6, reason: "stale" }),
    ]);
    clock.advance(10_000);
    await mm.runCycle();
    expect(of("quotes-pulled")).toHaveLength(1); // once per outage, not per tick
    expect(mm.snapshot().quotesPulled).toBe(true);

    feed.script("50000");
    const back = await mm.runCycle();
    expect(back).toMatchObject({ outcome: "quoted", placed: 6 });
    expect(of("quotes-resumed")).toHaveLength(1);
    expect(mm.snapshot().quotesPulled).toBe(false);
  });

  it("pulls quotes at once on a price the trust rules refuse, saying why (issue 22)", async () => {
    const { mm, feed, clock, venue, of } = setup({ maxPriceAgeMs: 30_000 }, ["50000"]);
    await mm.runCycle();
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    const why = "binance says 65000, more than 5% from the last accepted 50000";
    feed.script(new PriceError(why, { kind: "untrusted", symbol: "BTC-USDT" }));
    clock.advance(1000);
    expect(await mm.runCycle()).toMatchObject({ outcome: "pulled", canceled: 6 });
    expect(venue.live("BTC-USDT")).toHaveLength(0);
    expect(of("quotes-pulled")).toEqual([
      expect.objectContaining({ reason: "untrusted", detail: why, orders: 6 }),
    ]);
    feed.script("50000");
    expect(await mm.runCycle()).toMatchObject({ outcome: "quoted", placed: 6 });
  });
});

describe("the loop: venue outage", () => {
  it("keeps trying, reports lost/back once each, and restores the ladder", async () => {
    const { mm, venue, of } = setup({ intervalMs: 2, maxBackoffMs: 8 }, ["50000"]);
    const controller = new AbortController();
    const done = mm.run(controller.signal);
    await waitFor(() => venue.live("BTC-USDT").length === 6, "first ladder");
    venue.down = true;
    await waitFor(
      () => of("cycle").filter((c) => c.outcome === "venue-error").length >= 3,
      "venue-error cycles",
    );
    expect(of("venue-state").map((e) => e.state)).toEqual(["lost"]);
    venue.down = false;
    await waitFor(() => of("venue-state").length === 2, "venue back");
    await waitFor(() => of("cycle").at(-1)?.outcome === "quoted", "a quoted cycle");
    expect(of("venue-state").map((e) => e.state)).toEqual(["lost", "back"]);
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    expect(
      mm
        .snapshot()
        .orders.map((o) => o.orderId)
        .sort(),
    ).toEqual(
      venue
        .live("BTC-USDT")
        .map((o) => o.orderId)
        .sort(),
    );
    controller.abort();
    const summary = await done;
    expect(summary).toMatchObject({ canceled: 6, failed: [] });
    expect(venue.live("BTC-USDT")).toHaveLength(0);
  });

  it("creates that fail while the venue drops stay tracked and are cleaned up", async () => {
    const { mm, venue } = setup({}, ["50000"]);
    let n = 0;
    venue.onPlace = () => (++n > 3 ? "created-then-unknown" : undefined);
    await mm.runCycle();
    expect(mm.snapshot().uncertain).toBe(3);
    venue.onPlace = undefined;
    await mm.runCycle();
    expect(mm.snapshot().uncertain).toBe(0);
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    expect(
      mm
        .snapshot()
        .orders.map((o) => o.orderId)
        .sort(),
    ).toEqual(
      venue
        .live("BTC-USDT")
        .map((o) => o.orderId)
        .sort(),
    );
  });
});

describe("the loop: stopping", () => {
  it("runs the first cycle at once and cancels everything on abort, uncertain ids included", async () => {
    const { mm, venue, journal, of } = setup({ intervalMs: 60_000 }, ["50000"]);
    venue.onPlace = (order) =>
      order.orderId.includes("-sell-1-") ? "created-then-unknown" : undefined;
    const controller = new AbortController();
    const done = mm.run(controller.signal);
    await waitFor(() => of("cycle").length === 1, "first cycle");
    expect(venue.live("BTC-USDT")).toHaveLength(6);
    controller.abort();
    const summary = await done;
    expect(summary).toEqual({ canceled: 6, alreadyGone: 0, failed: [] });
    expect(venue.live("BTC-USDT")).toEqual([]);
    expect(journal.open.size).toBe(0);
    expect(of("stopped")).toEqual([expect.objectContaining({ summary })]);
    expect(mm.snapshot().orders).toEqual([]);
  });

  it("an abort in the middle of a cycle finishes the RPCs in flight, then cancels all", async () => {
    const { mm, venue, journal } = setup({ intervalMs: 60_000, concurrency: 1 }, ["50000"]);
    venue.latencyMs = 1;
    const controller = new AbortController();
    let creates = 0;
    venue.onPlace = () => {
      if (++creates === 3) controller.abort(); // SIGTERM while the third create is in flight
      return undefined;
    };
    const summary = await mm.run(controller.signal);
    expect(creates).toBe(3); // the rest of the plan was not started
    expect(summary).toEqual({ canceled: 3, alreadyGone: 0, failed: [] });
    expect(venue.live("BTC-USDT")).toEqual([]);
    expect(journal.open.size).toBe(0);
  });

  it("retries transient cancel failures at shutdown", async () => {
    const { mm, venue } = setup({}, ["50000"]);
    await mm.runCycle();
    let failures = 0;
    venue.onCancel = () =>
      failures++ < 4 ? new VenueError("unavailable", { kind: "unavailable" }) : undefined;
    const summary = await mm.stop();
    expect(summary).toMatchObject({ canceled: 6, failed: [] });
    expect(venue.live("BTC-USDT")).toEqual([]);
  });

  it("reports ids it could not confirm gone by the deadline", async () => {
    const { mm, venue, journal } = setup({ shutdownTimeoutMs: 30 }, ["50000"]);
    await mm.runCycle();
    const stuck = venue.live("BTC-USDT").find((o) => o.orderId.includes("-buy-2-"))!.orderId;
    venue.onCancel = (_book, id) =>
      id === stuck ? new VenueError("unavailable", { kind: "unavailable" }) : undefined;
    const summary = await mm.cancelAll();
    expect(summary).toEqual({ canceled: 5, alreadyGone: 0, failed: [stuck] });
    expect(mm.snapshot().orders.map((o) => o.orderId)).toEqual([stuck]);
    expect([...journal.open]).toEqual([stuck]);
  });

  it("stop() ends run() and a listener that throws changes nothing", async () => {
    const { venue } = setup();
    const clock = fakeClock();
    const mm = createMarketMaker({
      symbol: "BTC-USDT",
      book: "BTC-USDT",
      marketMakerId: "mm-01",
      ladder: SEED_LADDER,
      intervalMs: 1,
      feed: fakeFeed(clock, "50000"),
      gateway: venue,
      clock,
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    const done = mm.run();
    await expect(mm.run()).rejects.toThrow(/already running/);
    await waitFor(() => venue.live("BTC-USDT").length === 6, "ladder");
    const summary = await mm.stop();
    expect(await done).toBe(summary);
    expect(summary.canceled).toBe(6);
    expect(mm.snapshot().running).toBe(false);
  });
});

describe("createMarketMaker: options", () => {
  const base = () => {
    const clock = fakeClock();
    return {
      symbol: "BTC-USDT",
      book: "BTC-USDT",
      marketMakerId: "mm-01",
      ladder: SEED_LADDER,
      feed: fakeFeed(clock, "1"),
      gateway: fakeVenue(),
    };
  };
  const refused = (patch: object, field: string) => {
    let error: unknown;
    try {
      createMarketMaker({ ...base(), ...patch } as MarketMakerOptions);
    } catch (e) {
      error = e;
    }
    expect(error, field).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
  };

  it("refuses bad options naming the field", () => {
    refused({ symbol: "" }, "symbol");
    refused({ marketMakerId: "mm 01" }, "marketMakerId");
    refused({ intervalMs: 0 }, "intervalMs");
    refused({ intervalMs: 1.5 }, "intervalMs");
    refused({ concurrency: 0 }, "concurrency");
    refused({ maxPriceAgeMs: -1 }, "maxPriceAgeMs");
    refused({ uncertainGraceMs: -5 }, "uncertainGraceMs");
    refused({ requoteMode: "fast" }, "requoteMode");
    refused({ refreshTolerancePercent: "-0.1" }, "refreshTolerancePercent");
    refused({ refreshTolerancePercent: "1e-3" }, "refreshTolerancePercent");
    refused({ ladder: { ...SEED_LADDER, levels: 0 } }, "levels");
    refused({ ladder: { ...SEED_LADDER, orderSize: "0.0001" } }, "orderSize");
    refused({ gateway: {} }, "gateway");
    refused({ fillPolling: "sometimes" }, "fillPolling");
  });
});
