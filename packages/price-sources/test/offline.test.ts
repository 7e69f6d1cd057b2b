import { isDecimalString, type PriceError } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import { createFailoverChain, replay, synthetic, TapeError } from "../src/index.ts";
import { manualClock } from "./helpers/clock.ts";

async function walk(source: ReturnType<typeof synthetic>, symbol: string, steps: number) {
  const prices: string[] = [];
  for (let i = 0; i < steps; i++) prices.push((await source.latest(symbol)).price);
  return prices;
}

describe("synthetic", () => {
  it("is the same walk for the same seed, another for another seed", async () => {
    const a = await walk(synthetic({ startPrice: "50000.00", seed: 42 }), "BTC-USDT", 200);
    const b = await walk(synthetic({ startPrice: "50000.00", seed: 42 }), "BTC-USDT", 200);
    const c = await walk(synthetic({ startPrice: "50000.00", seed: 43 }), "BTC-USDT", 200);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a).size).toBeGreaterThan(100);
  });

  it("answers decimal strings with the start price's digits, near the start", async () => {
    const prices = await walk(
      synthetic({ startPrice: "50000.00", seed: 7, volatilityPercent: 0.02 }),
      "BTC-USDT",
      1000,
    );
    for (const price of prices) {
      expect(isDecimalString(price)).toBe(true);
      expect(price).toMatch(/^\d+\.\d{2}$/);
    }
    // 0.02 % per step over 1000 steps is ~0.63 % one sigma: 10 % away is impossible in practice.
    const numbers = prices.map(Number);
    expect(Math.min(...numbers)).toBeGreaterThan(45_000);
    expect(Math.max(...numbers)).toBeLessThan(55_000);
  });

  it("walks each symbol on its own and stays positive at high volatility", async () => {
    const source = synthetic({
      startPrice: { "BTC-USDT": "50000", "DOGE-USDT": "0.12345" },
      seed: 1,
      volatilityPercent: 40,
    });
    const results = await source.fetchTicks(["BTC-USDT", "DOGE-USDT", "ETH-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ source: "synthetic" });
    expect(results.get("ETH-USDT")).toMatchObject({ kind: "unknown-symbol" });
    const doge = await walk(source, "DOGE-USDT", 500);
    for (const price of doge) {
      expect(price).toMatch(/^\d+\.\d{5}$/);
      expect(Number(price)).toBeGreaterThan(0);
    }
  });

  it("refuses bad options, naming them", () => {
    expect(() => synthetic({ startPrice: "0" })).toThrow(/startPrice/);
    expect(() => synthetic({ startPrice: "1", volatilityPercent: -1 })).toThrow(
      /volatilityPercent/,
    );
    expect(() => synthetic({ startPrice: "1", seed: 1.5 })).toThrow(/seed/);
  });
});

describe("replay", () => {
  const csv = [
    "time,price",
    "1764000000000,50000.10",
    "1764000001000,50001.20",
    "2025-11-24T16:00:02.000Z,50002.30",
  ].join("\n");

  it("answers the next price per call from a CSV tape, then runs out", async () => {
    const source = replay({ tape: csv, format: "csv" });
    expect((await source.latest("BTC-USDT")).price).toBe("50000.10");
    expect((await source.latest("BTC-USDT")).price).toBe("50001.20");
    const third = await source.latest("BTC-USDT");
    expect(third).toMatchObject({ price: "50002.30", source: "replay" });
    expect(third.exchangeTime).toBeUndefined();
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({ kind: "stale" });
  });

  it("loops when told", async () => {
    const source = replay({ tape: csv, format: "csv", loop: true });
    const prices = [];
    for (let i = 0; i < 4; i++) prices.push((await source.latest("BTC-USDT")).price);
    expect(prices).toEqual(["50000.10", "50001.20", "50002.30", "50000.10"]);
  });

  it("answers by time from a JSONL tape, with the tape's time as exchange time", async () => {
    const tape = [
      '{"time":1000,"price":"10.5","symbol":"BTC-USDT"}',
      '{"time":2000,"price":"11.5","symbol":"BTC-USDT"}',
      '{"time":1500,"price":"3.25","symbol":"ETH-USDT"}',
    ].join("\n");
    const clock = manualClock(999);
    const source = replay({ tape, format: "jsonl", mode: "time", clock });
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({ kind: "unknown-symbol" });
    clock.set(1999);
    expect(await source.latest("BTC-USDT")).toMatchObject({ price: "10.5", exchangeTime: 1000 });
    clock.set(5000);
    expect(await source.latest("BTC-USDT")).toMatchObject({ price: "11.5", exchangeTime: 2000 });
    expect(await source.latest("ETH-USDT")).toMatchObject({ price: "3.25" });
    await expect(source.latest("SOL-USDT")).rejects.toMatchObject({ kind: "unknown-symbol" });
  });

  it("turns bad prices on the tape into typed errors, never prices", async () => {
    const source = replay({ tape: "1,0\n2,-5\n3,abc\n4,12.5", format: "csv" });
    const kinds = [];
    for (let i = 0; i < 3; i++) {
      kinds.push(await source.latest("BTC-USDT").catch((e: PriceError) => e.kind));
    }
    expect(kinds).toEqual(["invalid-price", "invalid-price", "invalid-price"]);
    expect((await source.latest("BTC-USDT")).price).toBe("12.5");
  });

  it("feeds the jump guard like any source", async () => {
    const tape = "1,100\n2,120\n3,101";
    const feed = createFailoverChain([replay({ tape, format: "csv" })]);
    expect((await feed.latest("BTC-USDT")).price).toBe("100");
    // A jump no second source confirms is not trusted (issue 22: "untrusted", quotes pulled).
    await expect(feed.latest("BTC-USDT")).rejects.toMatchObject({ kind: "untrusted" });
  });

  it("refuses a malformed tape with the line number", () => {
    expect(() => replay({ tape: "1,2\nfoo,3", format: "csv" })).toThrow(/line 2/);
    expect(() => replay({ tape: '{"time":1,"price":50000.1}', format: "jsonl" })).toThrow(
      /line 1: price must be a decimal string/,
    );
    expect(() => replay({ tape: "{", format: "jsonl" })).toThrow(TapeError);
    expect(() => replay({ tape: "\n# nothing\n", format: "csv" })).toThrow(/no prices/);
  });
});
