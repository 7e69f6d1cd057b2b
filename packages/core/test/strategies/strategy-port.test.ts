import { describe, expect, it } from "vitest";
import {
  ConfigError,
  checkTargetLadder,
  computeLadder,
  type Ladder,
  type MarketView,
  parseLadderParams,
  type Strategy,
} from "../../src/index.ts";
import { fakeClock, fakeFeed, SEED_LADDER, seedMarketMaker } from "../fakes.ts";

const live = (venue: ReturnType<typeof seedMarketMaker>["venue"]) =>
  venue
    .live("BTC-USDT")
    .map((o) => `${o.side} ${o.price} ${o.quantity}`)
    .sort();

describe("the strategy port", () => {
  it("layered by default: the seed's worked example, exactly", async () => {
    const clock = fakeClock();
    const { mm, venue } = seedMarketMaker(fakeFeed(clock, "50000.00"), clock);
    await mm.runCycle();
    expect(live(venue)).toEqual([
      "buy 49925.00 0.010",
      "buy 49950.00 0.010",
      "buy 49975.00 0.010",
      "sell 50025.00 0.010",
      "sell 50050.00 0.010",
      "sell 50075.00 0.010",
    ]);
    expect(mm.snapshot().strategy).toBe("layered");
  });

  it("places whatever ladder a custom strategy returns, given the market view", async () => {
    const clock = fakeClock();
    const seen: MarketView[] = [];
    // One level a side, a whole 1 % under and over P, size from the configured level 1.
    const oneLevel: Strategy = {
      name: "one-level",
      quote(view) {
        seen.push(view);
        const ladder = computeLadder(view.reference, {
          ...view.ladder,
          levels: 1,
          sizes: view.ladder.sizes.slice(0, 1),
          baseSpreadPercent: { units: 2n, scale: 0 },
        });
        return ladder;
      },
    };
    const { mm, venue } = seedMarketMaker(fakeFeed(clock, "50000.00"), clock, {
      strategy: oneLevel,
      ladder: { ...SEED_LADDER, orderSize: "0.01,0.02,0.03" },
    });
    await mm.runCycle();
    expect(live(venue)).toEqual(["buy 49500.00 0.010", "sell 50500.00 0.010"]);
    expect(seen[0]?.reference).toEqual({ units: 5000000n, scale: 2 });
    expect(seen[0]?.prices).toEqual([{ at: clock.now(), price: "50000.00" }]);
    expect(seen[0]?.ladder.sizes.map(String)).toHaveLength(3);
    expect(mm.snapshot().strategy).toBe("one-level");
  });

  it("a strategy's unsound ladder is refused: nothing placed, a ladder-error event", async () => {
    const clock = fakeClock();
    const crossed: Strategy = {
      name: "crossed",
      quote: (view) => {
        const ladder = computeLadder(view.reference, view.ladder);
        return {
          ...ladder,
          // The best ask on the best bid: we would trade with ourselves.
          asks: ladder.asks.map((a, i) => (i === 0 ? { ...a, price: ladder.bids[0]!.price } : a)),
        };
      },
    };
    const { mm, venue, events } = seedMarketMaker(fakeFeed(clock, "50000.00"), clock, {
      strategy: crossed,
    });
    const report = await mm.runCycle();
    expect(report.outcome).toBe("ladder-error");
    expect(venue.live("BTC-USDT")).toEqual([]);
    const error = events.find((e) => e.type === "ladder-error");
    expect(error?.type === "ladder-error" && error.error.message).toMatch(/not below best ask/);
  });

  it("refuses an unknown strategy name at creation", () => {
    const clock = fakeClock();
    expect(() =>
      seedMarketMaker(fakeFeed(clock, "1"), clock, { strategy: "martingale" as never }),
    ).toThrow(ConfigError);
  });
});

describe("checkTargetLadder", () => {
  const config = parseLadderParams(SEED_LADDER);
  const good = computeLadder("50000", config);
  const refused = (ladder: Ladder, pattern: RegExp) =>
    expect(() => checkTargetLadder(ladder, config, "mine")).toThrow(pattern);

  it("passes a sound ladder unchanged", () => {
    expect(checkTargetLadder(good, config, "mine")).toBe(good);
  });
  it("refuses prices off the tick, sizes off the lot, sides out of order, too many levels", () => {
    const bids = good.bids;
    refused({ ...good, bids: [{ ...bids[0]!, price: "49975.005" }, ...bids.slice(1)] }, /tick/);
    refused({ ...good, bids: [{ ...bids[0]!, quantity: "0.0105" }, ...bids.slice(1)] }, /lot step/);
    refused({ ...good, bids: [bids[1]!, bids[0]!, bids[2]!] }, /labelled|further out/);
    refused({ ...good, bids: [...bids, { ...bids[2]!, level: 4, price: "1.00" }] }, /more than/);
    refused({ ...good, asks: good.asks.map((a) => ({ ...a, side: "buy" as const })) }, /labelled/);
  });
});

describe("Avellaneda–Stoikov in the loop", () => {
  it("quotes around the reservation price: a long position lowers both sides", async () => {
    const clock = fakeClock(1_700_000_000_000);
    const feed = fakeFeed(clock, "50000.00", "50010.00", "50000.00");
    const { mm, venue } = seedMarketMaker(feed, clock, {
      strategy: "avellaneda-stoikov",
      asGamma: "0.5",
      asKappa: "1",
      restored: {
        pnl: {
          position: "0.05",
          costBasis: "2500",
          realized: "0",
          fees: "0",
          volume: "2500",
          fills: 5,
        },
      },
    });
    await mm.runCycle();
    // σ² = 0 (one price): r = P − 0, δ = 4·ln 1.5 = 1.62 < 0.1 % of P = 50 → the floor.
    expect(live(venue)).toContain("buy 49975.00 0.010");
    expect(live(venue)).toContain("sell 50025.00 0.010");
    // Prices 50000 → 50010 → 50000, a second apart: σ² = 200 / 2 = 100 per second.
    clock.advance(1000);
    await mm.runCycle();
    clock.advance(1000);
    await mm.runCycle();
    // q = 0.05 / 0.01 = 5: r = 50000 − 5 × 0.5 × 100 × 1 = 49750; δ = 50 + 4·ln 1.5 =
    // 51.62: bid 49724.189… → 49724.18, ask r + δ/2 = 49775.8 < P → held at 50000.00.
    expect(live(venue)).toEqual([
      "buy 49674.18 0.010",
      "buy 49699.18 0.010",
      "buy 49724.18 0.010",
      "sell 50000.00 0.010",
      "sell 50025.00 0.010",
      "sell 50050.00 0.010",
    ]);
    expect(mm.snapshot().strategy).toBe("avellaneda-stoikov");
    expect(mm.params()).toMatchObject({ asGamma: "0.5", asKappa: "1", volatilityWindowMs: 60_000 });
  });

  it("its settings change live, validated; null makes the horizon infinite again", () => {
    const clock = fakeClock();
    const { mm } = seedMarketMaker(fakeFeed(clock, "1"), clock, {
      strategy: "avellaneda-stoikov",
      asHorizonMs: 60_000,
    });
    mm.updateParams({ asGamma: "0.2", asHorizonMs: null, orderSizeStep: "0.01" });
    expect(mm.params()).toMatchObject({
      asGamma: "0.2",
      orderSizeStep: "0.01",
      sizes: ["0.01", "0.02", "0.03"],
    });
    expect(mm.params().asHorizonMs).toBeUndefined();
    let error: unknown;
    try {
      mm.updateParams({ asKappa: "0", volatilityWindowMs: 0, orderSizeMultiplier: "2" });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.field).sort()).toEqual([
      "asKappa",
      "orderSizeStep",
      "volatilityWindowMs",
    ]);
    expect(mm.params().asKappa).toBe("1.5");
  });
});
