import type { MarketMakerSnapshot } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import { createRpcTally } from "../src/workers/rpc-tally.ts";
import { createSnapshotGate } from "../src/workers/snapshot-gate.ts";

describe("rpc tally", () => {
  it("counts attempts by method and code, and starts afresh after a flush", () => {
    const tally = createRpcTally();
    tally.add("CreateOrder", "OK");
    tally.add("CreateOrder", "OK");
    tally.add("CreateOrder", "UNAVAILABLE");
    tally.add("CancelOrder", "OK");
    expect(tally.flush()).toEqual([
      { type: "rpc", method: "CreateOrder", code: "OK", count: 2 },
      { type: "rpc", method: "CreateOrder", code: "UNAVAILABLE", count: 1 },
      { type: "rpc", method: "CancelOrder", code: "OK", count: 1 },
    ]);
    expect(tally.flush()).toEqual([]);
    tally.add("GetOrder", "OK");
    expect(tally.flush()).toEqual([{ type: "rpc", method: "GetOrder", code: "OK", count: 1 }]);
  });
});

function snapshot(overrides: Partial<MarketMakerSnapshot> = {}): MarketMakerSnapshot {
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

describe("snapshot gate", () => {
  it("passes the first snapshot and every change the status shows, not a new cycle count", () => {
    const gate = createSnapshotGate();
    expect(gate.changed(snapshot())).toBe(true);
    expect(gate.changed(snapshot({ cycles: 2 }))).toBe(false);
    expect(gate.changed(snapshot({ cycles: 3, fills: 1 }))).toBe(true);
    expect(gate.changed(snapshot({ cycles: 4, fills: 1 }))).toBe(false);
    expect(gate.changed(snapshot({ cycles: 5, fills: 1, position: "0.01" }))).toBe(true);
    expect(gate.changed(snapshot({ cycles: 6, fills: 1, position: "0.01", venue: "lost" }))).toBe(
      true,
    );
  });
});
