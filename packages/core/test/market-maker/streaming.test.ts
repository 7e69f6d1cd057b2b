import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Clock,
  type CycleEvent,
  type MarketMakerOptions,
  PriceError,
} from "../../src/index.ts";
import { pushFeed, seedMarketMaker } from "../fakes.ts";

// Fake timers move Date and performance too: the loop's waits, the minimum requote
// interval and the cycle durations all run on simulated time, so nothing here depends on
// how busy the machine is.
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
  const { mm, venue, journal, events } = seedMarketMaker(feed, clock, {
    intervalMs: 60_000,
    ...overrides,
  });
  const cycles = (trigger?: "tick" | "interval") =>
    events.filter(
      (e): e is CycleEvent =>
        e.type === "cycle" && (trigger === undefined || e.trigger === trigger),
    );
  const bestBid = () =>
    venue
      .live("BTC-USDT")
      .filter((o) => o.side === "buy")
      .map((o) => Number(o.price))
      .sort((a, b) => b - a)[0];
  const controller = new AbortController();
  const done = mm.run(controller.signal);
  return { feed, venue, journal, events, mm, cycles, bestBid, controller, done };
}

/** Lets every timer due by now and every promise they settle run. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe("the loop with a pushing feed", () => {
  it("coalesces a burst of ticks into one requote on the newest price", async () => {
    const t = setup();
    await settle();
    expect(t.cycles("interval")).toHaveLength(1);
    expect(t.venue.live("BTC-USDT")).toHaveLength(6);
    for (let i = 1; i <= 50; i++) t.feed.push(`${50000 + i}.00`);
    await settle();
    const requotes = t.cycles("tick");
    expect(requotes).toHaveLength(1);
    expect(requotes[0]).toMatchObject({ outcome: "quoted", price: "50050.00", placed: 6 });
    expect(requotes[0]!.priceReceivedAt).toBe(Date.now());
    expect(t.bestBid()).toBe(50024.97); // 50050 - 0.05%, rounded down
    expect(t.venue.crossings).toEqual([]);
    t.controller.abort();
    await t.done;
  });

  it("starts at most one requote per minRequoteIntervalMs", async () => {
    const t = setup({ minRequoteIntervalMs: 100 });
    await settle();
    t.feed.push("50100.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    t.feed.push("50200.00");
    await vi.advanceTimersByTimeAsync(80); // 90 ms after the first requote
    expect(t.cycles("tick")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10); // 100 ms
    expect(t.cycles("tick")).toHaveLength(2);
    expect(t.cycles("tick")[1]).toMatchObject({ price: "50200.00" });
    const [a, b] = t.cycles("tick");
    expect(b!.startedAt - a!.startedAt).toBeGreaterThanOrEqual(100);
    t.controller.abort();
    await t.done;
  });

  it("a parameter change of the interval applies to the next requote", async () => {
    const t = setup({ minRequoteIntervalMs: 100 });
    await settle();
    t.feed.push("50100.00");
    await settle();
    t.mm.updateParams({ minRequoteIntervalMs: 0 });
    t.feed.push("50200.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(2);
    t.controller.abort();
    await t.done;
  });

  it("never overlaps a requote with another or with a full cycle", async () => {
    const t = setup({ intervalMs: 150, minRequoteIntervalMs: 20, concurrency: 1 });
    t.venue.latencyMs = 7; // every RPC takes simulated time, so work can pile up
    let inFlight = 0;
    let overlaps = 0;
    const { placeOrder } = t.venue;
    t.venue.placeOrder = async (order, options) => {
      if (++inFlight > 1) overlaps++;
      try {
        return await placeOrder(order, options);
      } finally {
        inFlight--;
      }
    };
    for (let i = 1; i <= 60; i++) {
      t.feed.push(`${50000 + i * 10}.00`);
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(t.cycles("tick").length).toBeGreaterThan(1);
    expect(t.cycles("interval").length).toBeGreaterThan(1);
    expect(overlaps).toBe(0);
    const windows = t.cycles().map((c) => [c.startedAt, c.startedAt + c.durationMs] as const);
    for (let i = 1; i < windows.length; i++) {
      expect(windows[i]![0]).toBeGreaterThanOrEqual(windows[i - 1]![1]);
    }
    expect(t.venue.crossings).toEqual([]);
    t.controller.abort();
    await vi.advanceTimersByTimeAsync(1_000); // the shutdown's cancels take simulated time
    expect(await t.done).toMatchObject({ failed: [] });
    expect(t.venue.live("BTC-USDT")).toEqual([]);
  });

  it("requotes only when the price moved beyond refreshTolerancePercent from the live ladder's", async () => {
    const t = setup({ refreshTolerancePercent: "0.1" }); // 0.1% of 50000 = 50
    await settle();
    t.feed.push("50040.00");
    await settle();
    t.feed.push("49950.00");
    await settle();
    t.feed.push("50050.00"); // exactly at the tolerance: still within
    await settle();
    expect(t.cycles("tick")).toHaveLength(0);
    t.feed.push("50051.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(1);
    t.feed.push("50060.00"); // measured from 50051 now
    await settle();
    expect(t.cycles("tick")).toHaveLength(1);
    t.controller.abort();
    await t.done;
  });

  it("still pulls quotes when no fresh price came for maxPriceAgeMs, and ignores stale ticks", async () => {
    const t = setup({ intervalMs: 10_000, maxPriceAgeMs: 30_000 });
    await settle();
    t.feed.script(new PriceError("down", { kind: "unreachable" }));
    t.feed.push("50500.00", { receivedAt: Date.now() - 31_000 });
    await settle();
    expect(t.cycles("tick")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(t.events.some((e) => e.type === "quotes-pulled")).toBe(true);
    expect(t.venue.live("BTC-USDT")).toEqual([]);
    expect(t.mm.snapshot().state).toBe("pulled");
    t.feed.push("50500.00"); // a fresh tick brings the ladder back at once
    await settle();
    expect(t.cycles("tick").at(-1)).toMatchObject({ outcome: "quoted", placed: 6 });
    expect(t.mm.snapshot().state).toBe("quoting");
    t.controller.abort();
    await t.done;
  });

  it("while the venue is down, ticks stop requoting and the interval cycle backs off; then both resume", async () => {
    const t = setup({ intervalMs: 1_000, maxBackoffMs: 4_000 });
    await settle();
    t.venue.down = true;
    t.feed.push("50100.00"); // the first tick finds the venue gone...
    await settle();
    expect(t.events.filter((e) => e.type === "venue-state")).toHaveLength(1);
    const sentWhileDown = () => t.venue.calls.filter((c) => c.method !== "getBook").length;
    const before = sentWhileDown();
    for (let i = 0; i < 100; i++) {
      t.feed.push(`${50100 + i}.00`); // ...and no tick after it sends anything
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(sentWhileDown()).toBe(before);
    // 10 s down: cycles at +1, +2, +4, +4... s, not every second
    expect(t.venue.calls.filter((c) => c.method === "getBook").length).toBeLessThanOrEqual(5);
    t.venue.down = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(t.cycles("interval").at(-1)).toMatchObject({ outcome: "quoted" });
    expect(t.venue.live("BTC-USDT")).toHaveLength(6);
    const requotes = t.cycles("tick").length;
    t.feed.push("51000.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(requotes + 1);
    expect(t.bestBid()).toBe(50974.5);
    t.controller.abort();
    await t.done;
  });

  it("a stop while a requote waits for its turn cancels everything and requotes no more", async () => {
    const t = setup({ minRequoteIntervalMs: 100 });
    await settle();
    t.feed.push("50100.00");
    await settle();
    t.feed.push("50200.00"); // waits ~100 ms for its turn
    await vi.advanceTimersByTimeAsync(50);
    t.controller.abort();
    const summary = await t.done;
    expect(summary).toEqual({ canceled: 6, alreadyGone: 0, failed: [] });
    await vi.advanceTimersByTimeAsync(500);
    expect(t.cycles("tick")).toHaveLength(1);
    expect(t.venue.live("BTC-USDT")).toEqual([]);
    expect(t.journal.open.size).toBe(0);
    expect(t.feed.listeners).toBe(0);
  });

  it("a stop during a requote in flight lets it finish its calls, then cancels everything", async () => {
    const t = setup({ concurrency: 1 });
    await settle();
    t.venue.latencyMs = 5;
    t.feed.push("50100.00");
    await vi.advanceTimersByTimeAsync(12); // two or three calls into the requote
    t.controller.abort();
    const done = t.done;
    await vi.advanceTimersByTimeAsync(1_000);
    const summary = await done;
    expect(summary.failed).toEqual([]);
    expect(t.venue.live("BTC-USDT")).toEqual([]);
    expect(t.journal.open.size).toBe(0);
    expect(t.cycles("tick")[0]).toMatchObject({ outcome: "aborted" });
  });

  it("while paused, ticks place nothing; resume quotes again on the next tick", async () => {
    const t = setup();
    await settle();
    const summary = await t.mm.pause("operator");
    expect(summary.canceled).toBe(6);
    t.feed.push("50100.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(0);
    expect(t.venue.live("BTC-USDT")).toEqual([]);
    t.mm.resume();
    t.feed.push("50100.00");
    await settle();
    expect(t.cycles("tick")).toHaveLength(1);
    expect(t.venue.live("BTC-USDT")).toHaveLength(6);
    t.controller.abort();
    await t.done;
  });
});
