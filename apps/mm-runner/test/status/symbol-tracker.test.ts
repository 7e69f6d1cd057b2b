import type { MarketMakerSnapshot } from "@matchingo-mm/core";
import { expect, it } from "vitest";
import type { SymbolConfig } from "../../src/config/types.ts";
import { readinessOf } from "../../src/status/runner-status.ts";
import { createSymbolTracker } from "../../src/status/symbol-tracker.ts";
import type { WireEvent } from "../../src/workers/wire/protocol.ts";
import { coreSnapshot, wireCycle, wireFill } from "../wire-events.ts";

const config = { symbol: "BTC-USDT", book: "BTC-USDT", marketMakerId: "mm", numLevels: 2 };

function snapshot(
  fills: number,
  base: string,
  position: string,
  risk: Partial<MarketMakerSnapshot["risk"]> = {},
): MarketMakerSnapshot {
  return coreSnapshot({
    fills,
    volume: { base, quote: "0" },
    position,
    risk: {
      inventorySkewPercent: "0",
      makerFeeBps: "0",
      position,
      realized: "0",
      fees: "0",
      costBasis: "0",
      pnl: { position, costBasis: "0", realized: "0", fees: "0", volume: "0", fills },
      ...risk,
    },
  });
}

it("counts fills once: core's snapshot is the count, a fill event only adds a marker", () => {
  const tracker = createSymbolTracker(config as unknown as SymbolConfig);
  tracker.onEvent(wireFill("buy", "0.004", { price: "49999", time: 1000 }));
  // The event alone changes no count (before, it was counted here and again by the snapshot).
  expect(tracker.snapshot().fills).toEqual({ count: 0, volume: "0" });
  tracker.onSnapshot(snapshot(1, "0.004", "0.004"));
  tracker.onEvent(wireFill("sell", "0.001", { price: "50001", time: 2000 }));
  tracker.onSnapshot(snapshot(2, "0.005", "0.003"));
  const status = tracker.snapshot();
  expect(status.fills).toEqual({ count: 2, volume: "0.005" });
  expect(status.position).toBe("0.003");
  expect(status.recentFills).toEqual([
    { seq: 1, at: 1000, side: "buy", price: "49999", quantity: "0.004" },
    { seq: 2, at: 2000, side: "sell", price: "50001", quantity: "0.001" },
  ]);
});

it("narrows wire events by type, so a misspelt field does not compile", () => {
  const event: WireEvent = wireFill("buy", "1");
  if (event.type !== "fill") throw new Error("unreachable");
  // @ts-expect-error: a fill has `quantity`, not `qty` (tsc checks this line)
  const typo: unknown = event.qty;
  expect(typo).toBeUndefined();
  expect(event.quantity).toBe("1");
});

it("shows a symbol paused by an operator as paused, not ready, until resumed", () => {
  const tracker = createSymbolTracker(config as unknown as SymbolConfig);
  tracker.setPaused(true);
  expect(tracker.snapshot()).toMatchObject({
    state: "paused",
    reasons: ["paused by an operator (control API)"],
  });
  expect(tracker.snapshot().events.map((event) => event.type)).toEqual(["paused"]);
  tracker.setPaused(false);
  expect(tracker.snapshot().state).toBe("starting");
});

it("shows P&L, the position limit and a kill-switch halt (state halted, not ready)", () => {
  const tracker = createSymbolTracker({
    ...config,
    numLevels: 3,
    orderSize: "0.01",
  } as unknown as SymbolConfig);
  tracker.onEvent(wireCycle("quoted"));
  tracker.onSnapshot(
    snapshot(2, "0.02", "0.02", {
      maxPosition: "0.03",
      realized: "-0.5",
      unrealized: "-0.25",
      fees: "0.1",
      maxLoss: "1",
    }),
  );
  let status = tracker.snapshot();
  expect(status.pnl).toBe("-0.75");
  expect(status.risk).toEqual({
    state: "limited",
    maxPosition: "0.03",
    realized: "-0.5",
    unrealized: "-0.25",
    fees: "0.1",
    maxLoss: "1",
  });
  // No asks live: a partial ladder (bids are short too, but only asks make it degraded).
  expect(status.reasons).toEqual(["partial ladder: 0/3 bids, 0/3 asks"]);
  expect(status.state).toBe("degraded");
  // Three asks and no bid at the limit: the limit trims the bids, so the ladder is whole.
  const asks = ["50025", "50050", "50075"].map((price, i) => ({
    orderId: `a${i}`,
    side: "sell" as const,
    level: i + 1,
    price,
    quantity: "0.01",
    remaining: "0.01",
    state: "live" as const,
  }));
  tracker.onSnapshot({
    ...snapshot(3, "0.03", "0.03", { maxPosition: "0.03", realized: "0", unrealized: "0" }),
    orders: asks,
  });
  status = tracker.snapshot();
  expect(status.reasons).toEqual([]);
  expect(status.state).toBe("quoting");
  expect(status.risk?.state).toBe("limited");

  tracker.onSnapshot(
    snapshot(2, "0.02", "0.02", {
      maxPosition: "0.03",
      realized: "-1",
      unrealized: "0",
      halted: { reason: "kill switch: loss 1 reached MAX_LOSS 1", since: 5 },
    }),
  );
  status = tracker.snapshot();
  expect(status.state).toBe("halted");
  expect(status.risk?.state).toBe("halted");
  expect(status.reasons[0]).toContain("loss 1 reached MAX_LOSS 1");
  const readiness = readinessOf({
    venue: { address: "x", embedded: true },
    synthetic: false,
    symbols: [status],
  });
  expect(readiness.ready).toBe(false);
  expect(readiness.symbols["BTC-USDT"]).toMatchObject({ state: "halted" });
});

it("sizes per level: shown in the status, and the limit hint sums them", () => {
  const tracker = createSymbolTracker({
    ...config,
    numLevels: 3,
    orderSize: "0.01",
    orderSizeMultiplier: "2",
    qtyStep: "0.001",
    strategy: "avellaneda-stoikov",
  } as unknown as SymbolConfig);
  tracker.onEvent(wireCycle("quoted"));
  // Flat with a limit of 0.06: the full side (0.01 + 0.02 + 0.04 = 0.07) does not fit.
  tracker.onSnapshot(snapshot(0, "0", "0", { maxPosition: "0.06" }));
  let status = tracker.snapshot();
  expect(status.strategy).toBe("avellaneda-stoikov");
  expect(status.sizes).toEqual(["0.01", "0.02", "0.04"]);
  expect(status.risk?.state).toBe("limited");
  // A live change of the sizes: 0.01 × 3 = 0.03 fits.
  tracker.setSizes(["0.01", "0.01", "0.01"]);
  status = tracker.snapshot();
  expect(status.sizes).toEqual(["0.01", "0.01", "0.01"]);
  expect(status.risk?.state).toBe("ok");
});

it("says why a symbol is not quoting when its price is not trusted (issue 22)", () => {
  const tracker = createSymbolTracker(config as unknown as SymbolConfig);
  const base = { symbol: "BTC-USDT", book: "BTC-USDT", time: 1000 };
  const why =
    "failover: BTC-USDT: first price: binance says 5000000.00 and no second source agrees";
  tracker.onEvent({
    ...base,
    type: "price-error",
    error: { name: "PriceError", message: why, kind: "untrusted" },
  } as unknown as WireEvent);
  expect(tracker.snapshot()).toMatchObject({
    state: "starting",
    reasons: [`price not trusted: ${why}`],
  });
  tracker.onEvent({
    ...base,
    type: "quotes-pulled",
    priceAgeMs: 0,
    orders: 0,
    reason: "untrusted",
    detail: why,
  } as WireEvent);
  const later = why.replace("5000000.00", "5000000.01");
  tracker.onEvent({
    ...base,
    type: "price-error",
    error: { name: "PriceError", message: later, kind: "untrusted" },
  } as unknown as WireEvent);
  const status = tracker.snapshot();
  // Pulled, with the price's latest problem.
  expect(status).toMatchObject({
    state: "pulled",
    reasons: ["quotes pulled: the price is not trusted", `price not trusted: ${later}`],
  });
  expect(readinessOf({ symbols: [status] } as never).symbols["BTC-USDT"]!.reasons.join()).toContain(
    "binance says 5000000.01",
  );
});

it("keeps a bounded list of recent events and fill markers, whatever the uptime", () => {
  const tracker = createSymbolTracker(config as unknown as SymbolConfig);
  for (let i = 0; i < 5_000; i++) {
    tracker.onEvent(wireFill(i % 2 === 0 ? "buy" : "sell", "0.001", { price: "50000", time: i }));
    tracker.note("test", `note ${i}`);
  }
  const status = tracker.snapshot();
  expect(status.recentFills).toHaveLength(50);
  expect(status.recentFills?.at(-1)).toMatchObject({ seq: 5_000, at: 4_999 });
  expect(status.events.length).toBeLessThanOrEqual(30);
  expect(status.events.map((e) => e.message)).toContain("note 4999");
});
