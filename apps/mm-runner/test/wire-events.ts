import type { CycleOutcome, MarketMakerSnapshot } from "@matchingo-mm/core";
import type { WireMarketMakerEvent } from "../src/workers/wire/protocol.ts";

/** Complete core events in the wire form a worker posts, for tests of their readers. */
const base = { symbol: "BTC-USDT", book: "BTC-USDT", time: 1_700_000_000_000 };

export function wireCycle(
  outcome: CycleOutcome,
  fields: Partial<Extract<WireMarketMakerEvent, { type: "cycle" }>> = {},
): Extract<WireMarketMakerEvent, { type: "cycle" }> {
  return {
    ...base,
    type: "cycle",
    cycle: 1,
    mode: "diff",
    trigger: "interval",
    outcome,
    startedAt: base.time,
    durationMs: 10,
    placed: 0,
    canceled: 0,
    kept: 0,
    failed: 0,
    skipped: 0,
    fills: 0,
    rpcs: { placeOrder: 0, cancelOrder: 0, getOrder: 0, getBook: 0, total: 0 },
    live: { buy: 0, sell: 0 },
    uncertain: 0,
    ...fields,
  };
}

export function wireFill(
  side: "buy" | "sell",
  quantity: string,
  fields: Partial<Extract<WireMarketMakerEvent, { type: "fill" }>> = {},
): Extract<WireMarketMakerEvent, { type: "fill" }> {
  return {
    ...base,
    type: "fill",
    orderId: "mm-1",
    side,
    price: "50000",
    quantity,
    remaining: "0",
    position: "0",
    via: "poll",
    fee: "0",
    realized: "0",
    ...fields,
  };
}

export const WIRE_BASE = base;

/** A core snapshot of a quiet BTC-USDT market maker (no orders, no fills), with `overrides`. */
export function coreSnapshot(overrides: Partial<MarketMakerSnapshot> = {}): MarketMakerSnapshot {
  return {
    symbol: "BTC-USDT",
    book: "BTC-USDT",
    marketMakerId: "mm",
    mode: "diff",
    running: true,
    cycles: 1,
    quotesPulled: false,
    state: "quoting",
    venue: "up",
    orders: [],
    live: { buy: 0, sell: 0 },
    uncertain: 0,
    fills: 0,
    volume: { base: "0", quote: "0" },
    position: "0",
    ...overrides,
  } as MarketMakerSnapshot;
}
