import type { TradeFill } from "@matchingo-mm/core";
import type { StreamTrade } from "@matchingo-mm/grpc-client/trade-stream";
import { describe, expect, it } from "vitest";
import { HandedFills } from "../src/fills/handed-fills.ts";

const trade = (orderId: string, index = 0): StreamTrade =>
  ({ orderId, role: "maker", price: "50000.5", quantity: "0.01", index }) as StreamTrade;

describe("HandedFills", () => {
  it("hands a trade as a fill named by its key, and again on redeliver until settled", () => {
    const delivered: [string, TradeFill][] = [];
    const handed = new HandedFills((symbol, fill) => delivered.push([symbol, fill]) > 0);
    handed.hand("BTC-USDT", trade("a"), "k1", 7);
    handed.hand("ETH-USDT", trade("b"), "k2", 8);
    expect(delivered).toEqual([
      [
        "BTC-USDT",
        {
          orderId: "a",
          role: "maker",
          price: "50000.5",
          quantity: "0.01",
          key: "k1",
          receivedAt: 7,
        },
      ],
      [
        "ETH-USDT",
        {
          orderId: "b",
          role: "maker",
          price: "50000.5",
          quantity: "0.01",
          key: "k2",
          receivedAt: 8,
        },
      ],
    ]);
    expect(handed.size).toBe(2);

    delivered.length = 0;
    handed.redeliver("BTC-USDT");
    expect(delivered.map(([symbol, fill]) => [symbol, fill.key])).toEqual([["BTC-USDT", "k1"]]);

    handed.settle("k1");
    delivered.length = 0;
    handed.redeliver("BTC-USDT");
    expect(delivered).toEqual([]);
    expect(handed.has("k1")).toBe(false);
    expect(handed.size).toBe(1);
  });

  it("does not hand again what the ledger booked, and names it to settle", () => {
    const delivered: string[] = [];
    const handed = new HandedFills((_, fill) => delivered.push(String(fill.key)) > 0);
    handed.hand("BTC-USDT", trade("a"), "k1", 1);
    handed.hand("BTC-USDT", trade("a", 1), "k2", 1);
    delivered.length = 0;
    expect(handed.redeliver("BTC-USDT", (key) => key === "k1")).toEqual(["k1"]);
    expect(delivered).toEqual(["k2"]);
  });
});
