import { describe, expect, it } from "vitest";
import {
  ConfigError,
  createMarketMaker,
  ladderProblems,
  type MarketMakerOptions,
} from "../../src/index.ts";
import { fakeClock, fakeFeed, fakeVenue, SEED_LADDER, seedMarketMaker } from "../fakes.ts";

function setup(overrides: Partial<MarketMakerOptions> = {}) {
  const clock = fakeClock();
  const feed = fakeFeed(clock, "50000.00");
  const { mm, venue, journal, events } = seedMarketMaker(feed, clock, overrides);
  const bids = () =>
    venue
      .live("BTC-USDT")
      .filter((o) => o.side === "buy")
      .map((o) => o.price)
      .sort();
  return { mm, venue, journal, events, feed, bids };
}

describe("pause and resume", () => {
  it("pause pulls every quote (confirmed), cycles place nothing, resume brings the ladder back", async () => {
    const { mm, venue, journal, events } = setup();
    await mm.runCycle();
    expect(mm.snapshot().state).toBe("quoting");
    const summary = await mm.pause("fat finger");
    expect(summary).toEqual({ canceled: 6, alreadyGone: 0, failed: [] });
    expect(venue.live("BTC-USDT")).toEqual([]);
    expect(journal.open.size).toBe(0);
    expect(mm.snapshot()).toMatchObject({ state: "paused", pausedReason: "fat finger" });

    const paused = await mm.runCycle();
    expect(paused).toMatchObject({ outcome: "paused", placed: 0 });
    expect(paused.rpcs.getBook).toBe(1); // the venue is still watched
    expect(venue.live("BTC-USDT")).toEqual([]);

    mm.resume();
    expect(mm.snapshot().state).toBe("quoting");
    expect(mm.snapshot().pausedReason).toBeUndefined();
    expect(await mm.runCycle()).toMatchObject({ outcome: "quoted", placed: 6 });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["paused", "resumed"]));
  });

  it("a cycle while paused still cancels what a failed pause left behind, and polls fills", async () => {
    const { mm, venue } = setup({ shutdownTimeoutMs: 30 });
    await mm.runCycle();
    const stuck = venue.live("BTC-USDT")[0]!.orderId;
    venue.onCancel = (_b, id) => (id === stuck ? new Error("boom") : undefined);
    const summary = await mm.pause();
    expect(summary.failed).toEqual([stuck]);
    venue.onCancel = undefined;
    const report = await mm.runCycle();
    expect(report).toMatchObject({ outcome: "paused", canceled: 1 });
    expect(venue.live("BTC-USDT")).toEqual([]);
  });
});

describe("updateParams", () => {
  it("applies a change at the next requote and shows it in params()", async () => {
    const { mm, bids, events } = setup();
    await mm.runCycle();
    expect(bids()).toEqual(["49925.00", "49950.00", "49975.00"]);
    mm.updateParams({ baseSpreadPercent: "0.2", levels: 2 });
    expect(mm.params()).toMatchObject({ baseSpreadPercent: "0.2", levels: 2 });
    expect(bids()).toHaveLength(3); // nothing sent until the next requote
    await mm.runCycle();
    expect(bids()).toEqual(["49925.00", "49950.00"]);
    expect(events.filter((e) => e.type === "params-changed")).toHaveLength(1);
  });

  it("refuses a bad change naming every problem, and changes nothing", () => {
    const { mm } = setup();
    const before = mm.params();
    let error: unknown;
    try {
      mm.updateParams({ levels: 1.5, priceStepPercent: "-1", minRequoteIntervalMs: 2.5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => [p.field, p.value])).toEqual([
      ["levels", 1.5],
      ["priceStepPercent", "-1"],
      ["minRequoteIntervalMs", 2.5],
    ]);
    expect(mm.params()).toEqual(before);
  });
});

describe("createMarketMaker: every quoting problem at once", () => {
  it("lists each bad quoting parameter, as updateParams does", () => {
    let error: unknown;
    try {
      createMarketMaker({
        symbol: "BTC-USDT",
        book: "BTC-USDT",
        marketMakerId: "mm-01",
        ladder: { ...SEED_LADDER, levels: 0, baseSpreadPercent: "0" },
        refreshTolerancePercent: "-1",
        feed: fakeFeed(fakeClock(), "1"),
        gateway: fakeVenue(),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.field)).toEqual([
      "levels",
      "baseSpreadPercent",
      "refreshTolerancePercent",
    ]);
  });
});

describe("ladderProblems", () => {
  const params = { ...SEED_LADDER };
  it("finds nothing wrong with the seed's ladder at its price", () => {
    expect(ladderProblems("50000", params)).toEqual([]);
  });

  it("names a spread and a step below one tick, and an outer bid at or below zero", () => {
    expect(ladderProblems("5", params).map((p) => p.field)).toEqual([
      "baseSpreadPercent",
      "priceStepPercent",
    ]);
    const wide = { ...params, levels: 30, priceStepPercent: "5" };
    const problems = ladderProblems("100", wide);
    expect(problems.map((p) => p.field)).toEqual(["levels"]);
    expect(problems[0]!.message).toContain("outermost bid at -45.05");
  });
});
