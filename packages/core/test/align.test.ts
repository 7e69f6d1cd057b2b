import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CycleReport, createMarketMaker, type MarketMakerEvent } from "../src/index.ts";
import { fakeFeed, fakeVenue } from "./fakes.ts";

const ladder = {
  levels: 2,
  baseSpreadPercent: "0.1",
  priceStepPercent: "0.05",
  orderSize: "0.01",
  priceTick: "0.01",
  qtyStep: "0.001",
};
const EPOCH = 1_700_000_000_000; // a multiple of 1000

// Fake timers move Date.now(), the clock the loop reads, together with its sleeps.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(EPOCH + 337);
});
afterEach(() => vi.useRealTimers());

function start(options: { alignToInterval?: boolean; slowCycles?: Set<number> } = {}) {
  const clock = { now: () => Date.now() };
  const venue = fakeVenue({ books: ["BTC-USDT"] });
  const cycles: CycleReport[] = [];
  let getBooks = 0;
  const gateway = {
    ...venue,
    async getBook(book: string, callOptions?: { signal?: AbortSignal }) {
      getBooks++;
      // The n-th cycle's first call takes 1.5 intervals: that cycle overruns its slot.
      if (options.slowCycles?.has(getBooks)) await new Promise((r) => setTimeout(r, 1_500));
      return venue.getBook(book, callOptions);
    },
  };
  const mm = createMarketMaker({
    symbol: "BTC-USDT",
    book: "BTC-USDT",
    marketMakerId: "mm-01",
    ladder,
    intervalMs: 1_000,
    fillPolling: "off",
    ...(options.alignToInterval === undefined ? {} : { alignToInterval: options.alignToInterval }),
    feed: fakeFeed(clock, "50000.00"),
    gateway,
    clock,
    onEvent: (event: MarketMakerEvent) => {
      if (event.type === "cycle") cycles.push(event as CycleReport);
    },
  });
  const controller = new AbortController();
  const done = mm.run(controller.signal);
  const stop = () => {
    controller.abort();
    return done;
  };
  return { cycles, stop };
}

describe("alignToInterval", () => {
  it("first cycle at once, then every cycle on a multiple of the interval since the epoch", async () => {
    const { cycles, stop } = start({ alignToInterval: true });
    await vi.advanceTimersByTimeAsync(4_500);
    await stop();
    expect(cycles.map((c) => c.startedAt - EPOCH)).toEqual([337, 1_000, 2_000, 3_000, 4_000]);
    expect(cycles.every((c) => c.missedSlots === undefined)).toBe(true);
  });

  it("without it, cycles keep the first cycle's phase (the default is unchanged)", async () => {
    const { cycles, stop } = start();
    await vi.advanceTimersByTimeAsync(3_900);
    await stop();
    expect(cycles.map((c) => c.startedAt - EPOCH)).toEqual([337, 1_337, 2_337, 3_337]);
  });

  it("a cycle that overruns its slot: the next starts at the next free slot and says what it missed", async () => {
    // getBook #2 is the second cycle's (slot 1 000): it lasts until 2 500.
    const { cycles, stop } = start({ alignToInterval: true, slowCycles: new Set([2]) });
    await vi.advanceTimersByTimeAsync(5_500);
    await stop();
    expect(cycles.map((c) => c.startedAt - EPOCH)).toEqual([337, 1_000, 3_000, 4_000, 5_000]);
    expect(cycles.map((c) => c.missedSlots ?? 0)).toEqual([0, 0, 1, 0, 0]);
    // Never two at once: each starts after the previous one ended.
    for (let i = 1; i < cycles.length; i++) {
      const previous = cycles[i - 1]!;
      expect(cycles[i]!.startedAt).toBeGreaterThanOrEqual(previous.startedAt + previous.durationMs);
    }
  });

  it("refuses a non-boolean", () => {
    expect(() =>
      createMarketMaker({
        symbol: "BTC-USDT",
        book: "BTC-USDT",
        marketMakerId: "mm-01",
        ladder,
        alignToInterval: "yes" as unknown as boolean,
        feed: fakeFeed({ now: () => 0 }, "1"),
        gateway: fakeVenue(),
      }),
    ).toThrow(/alignToInterval/);
  });
});
