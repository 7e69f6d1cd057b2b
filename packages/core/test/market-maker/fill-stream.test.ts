import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Clock, CycleEvent, FillEvent, MarketMakerOptions } from "../../src/index.ts";
import { fakeFillFeed, pushFeed, seedMarketMaker } from "../fakes.ts";

// Simulated time (as in streaming.test.ts): nothing here depends on the machine's load.
const clock: Clock = { now: () => Date.now() };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(overrides: Partial<MarketMakerOptions> = {}) {
  const feed = pushFeed(clock, "50000.00");
  const fills = fakeFillFeed(clock);
  const { mm, venue, events } = seedMarketMaker(feed, clock, {
    intervalMs: 1_000,
    fills,
    ...overrides,
  });
  const controller = new AbortController();
  const done = mm.run(controller.signal);
  const fillEvents = () => events.filter((e): e is FillEvent => e.type === "fill");
  const cycles = (trigger: string) =>
    events.filter((e): e is CycleEvent => e.type === "cycle" && e.trigger === trigger);
  const asks = () =>
    venue
      .live("BTC-USDT")
      .filter((o) => o.side === "sell")
      .sort((a, b) => Number(a.price) - Number(b.price));
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { feed, fills, venue, events, mm, fillEvents, cycles, asks, stop };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe("fills from the trade stream", () => {
  it("books a fill at once and refills the level in one reaction, without polling", async () => {
    const t = setup();
    await settle();
    const best = t.asks()[0]!;
    t.venue.fill(best.orderId, "0.004");
    t.fills.push({
      orderId: best.orderId,
      role: "maker",
      price: best.price,
      quantity: "0.004",
      key: "k1",
    });
    await settle();
    expect(t.mm.snapshot().position).toBe("-0.004");
    expect(t.fillEvents()).toMatchObject([
      { orderId: best.orderId, quantity: "0.004", via: "stream", key: "k1", role: "maker" },
    ]);
    const [reaction] = t.cycles("fill");
    expect(reaction).toMatchObject({ outcome: "quoted", fillReceivedAt: Date.now() });
    // The skew-free ladder keeps 0.01 a level: the part-filled order is replaced.
    expect(t.asks().map((o) => o.quantity)).toEqual(["0.010", "0.010", "0.010"]);
    expect(t.asks().some((o) => o.orderId === best.orderId)).toBe(false);
    // Full cycles go on, but the stream spares every per-order poll.
    t.venue.calls.length = 0;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.venue.calls.filter((c) => c.method === "getOrder")).toEqual([]);
    await t.stop();
  });

  it("books a redelivered or reordered message once", async () => {
    const t = setup();
    await settle();
    const [a, b] = t.asks();
    t.venue.fill(a!.orderId);
    t.venue.fill(b!.orderId, "0.005");
    const second = {
      orderId: b!.orderId,
      role: "maker" as const,
      price: b!.price,
      quantity: "0.005",
      key: "t/0/8/1",
    };
    const first = {
      orderId: a!.orderId,
      role: "maker" as const,
      price: a!.price,
      quantity: "0.01",
      key: "t/0/7/1",
    };
    t.fills.push(second);
    t.fills.push(first);
    t.fills.push(second);
    t.fills.push(first);
    await settle();
    expect(t.fillEvents().map((f) => [f.orderId, f.quantity])).toEqual([
      [b!.orderId, "0.005"],
      [a!.orderId, "0.01"],
    ]);
    expect(t.mm.snapshot().position).toBe("-0.015");
    await t.stop();
  });

  it("books a taker fill at the trade's price, not our limit", async () => {
    const t = setup();
    await settle();
    const best = t.asks()[0]!;
    t.fills.push({
      orderId: best.orderId,
      role: "taker",
      price: "49990.00",
      quantity: "0.01",
      key: "k",
    });
    await settle();
    expect(t.fillEvents()[0]).toMatchObject({ price: "49990.00", via: "stream", role: "taker" });
    expect(t.mm.snapshot().risk.costBasis).toBe("-499.9");
    await t.stop();
  });

  it("books the fills of an order the stream reports after our cancel", async () => {
    const t = setup();
    await settle();
    const best = t.asks()[0]!;
    t.venue.fill(best.orderId, "0.003");
    // A price move replaces the whole ladder before the stream's message arrives.
    t.feed.push("50500.00");
    await settle();
    expect(t.venue.live("BTC-USDT").some((o) => o.orderId === best.orderId)).toBe(false);
    expect(t.fillEvents()).toEqual([]);
    t.fills.push({
      orderId: best.orderId,
      role: "maker",
      price: best.price,
      quantity: "0.003",
      key: "k",
    });
    await settle();
    expect(t.fillEvents()).toMatchObject([
      { orderId: best.orderId, quantity: "0.003", via: "stream" },
    ]);
    expect(t.mm.snapshot().position).toBe("-0.003");
    await t.stop();
  });

  it("does not book again what polls booked while the stream was down", async () => {
    const t = setup();
    await settle();
    t.fills.isLive = false;
    const best = t.asks()[0]!;
    t.venue.fill(best.orderId, "0.006");
    await vi.advanceTimersByTimeAsync(1_000); // a full cycle polls it
    expect(t.fillEvents()).toMatchObject([
      { orderId: best.orderId, quantity: "0.006", via: "poll" },
    ]);
    t.fills.isLive = true;
    // (The full cycle has replaced the part-filled order since: the stream may still
    // report the rest of it.)
    // The stream's replay: the fill the poll saw, then the next one.
    t.fills.push({
      orderId: best.orderId,
      role: "maker",
      price: best.price,
      quantity: "0.006",
      key: "a",
    });
    t.fills.push({
      orderId: best.orderId,
      role: "maker",
      price: best.price,
      quantity: "0.004",
      key: "b",
    });
    await settle();
    expect(t.fillEvents().map((f) => [f.via, f.quantity])).toEqual([
      ["poll", "0.006"],
      ["stream", "0.004"],
    ]);
    expect(t.mm.snapshot().position).toBe("-0.01");
    await t.stop();
  });

  it("books what the venue showed and the stream never reported, as reconciliation", async () => {
    const t = setup({ streamGraceMs: 2_000, reconcileIntervalMs: 1_000 });
    await settle();
    const best = t.asks()[0]!;
    t.venue.fill(best.orderId);
    await vi.advanceTimersByTimeAsync(1_000); // the reconciliation poll finds it gone
    expect(t.fillEvents()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(t.fillEvents()).toMatchObject([
      { orderId: best.orderId, quantity: "0.01", via: "reconciliation" },
    ]);
    // The stream's late word changes nothing.
    t.fills.push({
      orderId: best.orderId,
      role: "maker",
      price: best.price,
      quantity: "0.01",
      key: "late",
    });
    await settle();
    expect(t.fillEvents()).toHaveLength(1);
    expect(t.mm.snapshot().position).toBe("-0.01");
    await t.stop();
  });

  it("applies MAX_POSITION in the reaction to the fill", async () => {
    const t = setup({ risk: { maxPosition: "0.015" } });
    await settle();
    const [a, b] = t.asks();
    t.venue.fill(a!.orderId);
    t.venue.fill(b!.orderId, "0.005");
    t.fills.push({
      orderId: a!.orderId,
      role: "maker",
      price: a!.price,
      quantity: "0.01",
      key: "1",
    });
    t.fills.push({
      orderId: b!.orderId,
      role: "maker",
      price: b!.price,
      quantity: "0.005",
      key: "2",
    });
    await settle();
    expect(t.mm.snapshot().position).toBe("-0.015");
    // At the limit short: no ask may rest any more.
    expect(t.asks()).toEqual([]);
    await t.stop();
  });

  it("books a fill of an order from an earlier run once, beyond what the ledger had", async () => {
    const t = setup({
      restoredOrders: [{ orderId: "mm-01-buy-1-5", side: "buy", booked: "0.004", streamed: "0" }],
    });
    await settle();
    t.fills.push({
      orderId: "mm-01-buy-1-5",
      role: "maker",
      price: "49000.00",
      quantity: "0.004",
      key: "x",
    });
    t.fills.push({
      orderId: "mm-01-buy-2-5",
      role: "maker",
      price: "48000.00",
      quantity: "0.002",
      key: "y",
    });
    t.fills.push({
      orderId: "someone-else-1",
      role: "maker",
      price: "48000.00",
      quantity: "1",
      key: "z",
    });
    await settle();
    expect(t.fillEvents().map((f) => [f.orderId, f.side, f.price, f.quantity])).toEqual([
      ["mm-01-buy-2-5", "buy", "48000.00", "0.002"],
    ]);
    await t.stop();
  });

  it("does not take orders a venue restart lost for fills the stream never reported", async () => {
    const t = setup({ streamGraceMs: 5_000 });
    await settle();
    t.venue.restart();
    // A price move: the requote's cancels find every order gone (the restart took them).
    t.feed.push("50500.00");
    await settle();
    // The next full cycle sees the book was made anew.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.events.some((e) => e.type === "venue-reset")).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.fillEvents()).toEqual([]);
    expect(t.mm.snapshot().position).toBe("0");
    await t.stop();
  });
  it("at a stop, reads the stream to its end after the last cancel and books what was on it", async () => {
    const t = setup();
    await settle();
    const best = t.asks()[0]!;
    // Part-filled just before the stop: the stream's message is still on its way.
    t.venue.fill(best.orderId, "0.004");
    let liveWhenAsked: number | undefined;
    t.fills.readToEnd = async () => {
      liveWhenAsked = t.venue.live("BTC-USDT").length;
      t.fills.push({
        orderId: best.orderId,
        role: "maker",
        price: best.price,
        quantity: "0.004",
        key: "last",
      });
    };
    await t.stop();
    // Asked once every order was cancelled: nothing could trade after it.
    expect(liveWhenAsked).toBe(0);
    expect(t.fillEvents()).toMatchObject([
      { orderId: best.orderId, quantity: "0.004", key: "last" },
    ]);
    expect(t.mm.snapshot().position).toBe("-0.004");
    // Booked before the loop said it stopped.
    const fillAt = t.events.findIndex((e) => e.type === "fill");
    expect(fillAt).toBeLessThan(t.events.findIndex((e) => e.type === "stopped"));
  });

  it("a stream that cannot be read to its end holds a stop no longer than the shutdown deadline", async () => {
    const t = setup({ shutdownTimeoutMs: 2_000 });
    await settle();
    let aborted = false;
    t.fills.readToEnd = ({ signal } = {}) =>
      new Promise<void>((resolve) =>
        signal?.addEventListener("abort", () => {
          aborted = true;
          resolve();
        }),
      );
    let stopped = false;
    const stopping = t.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(1_900);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    expect(aborted).toBe(true);
  });

  it("does not wait for a stream that is down at the stop", async () => {
    const t = setup();
    await settle();
    t.fills.isLive = false;
    let asked = false;
    t.fills.readToEnd = async () => {
      asked = true;
    };
    await t.stop();
    expect(asked).toBe(false);
  });
});
