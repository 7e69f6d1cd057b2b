import { PriceError, type PriceTick, parseDecimal } from "@matchingo-mm/core";
import { describe, expect, it } from "vitest";
import { checkPrice, isJump, rejectTick } from "../src/index.ts";

const context = { source: "test", symbol: "BTC-USDT" };
const tick = (extra: Partial<PriceTick> = {}): PriceTick => ({
  symbol: "BTC-USDT",
  price: "50000.00",
  receivedAt: 0,
  source: "test",
  ...extra,
});

describe("guards", () => {
  it("keeps a good price exact, in canonical form", () => {
    expect(checkPrice("50000.01000000", "price", context)).toBe("50000.01000000");
    expect(checkPrice("+007.5", "price", context)).toBe("7.5");
    expect(checkPrice("0.00000001", "price", context)).toBe("0.00000001");
  });

  it.each([
    0,
    50000,
    null,
    undefined,
    "0",
    "0.0",
    "-1",
    "-0.01",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e3",
    "",
    "1,5",
    "0x10",
    " 1",
  ])("rejects %j as invalid-price", (value) => {
    const error = (() => {
      try {
        checkPrice(value, "price", context);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PriceError);
    expect(error).toMatchObject({ kind: "invalid-price", source: "test", symbol: "BTC-USDT" });
  });

  it("rejects a tick for another symbol, a bad bid, and a stale tick", () => {
    const limits = { maxTickAgeMs: 5000 };
    expect(rejectTick(tick(), "BTC-USDT", 0, limits)).toBeUndefined();
    expect(rejectTick(tick({ symbol: "ETH-USDT" }), "BTC-USDT", 0, limits)).toMatchObject({
      kind: "wrong-symbol",
    });
    expect(rejectTick(tick({ bid: "-1" }), "BTC-USDT", 0, limits)).toMatchObject({
      kind: "invalid-price",
    });
    expect(rejectTick(tick({ exchangeTime: 1000 }), "BTC-USDT", 6000, limits)).toBeUndefined();
    expect(rejectTick(tick({ exchangeTime: 1000 }), "BTC-USDT", 6001, limits)).toMatchObject({
      kind: "stale",
    });
    expect(rejectTick(tick({ exchangeTime: Number.NaN }), "BTC-USDT", 0, limits)).toMatchObject({
      kind: "stale",
    });
  });

  it("measures jumps exactly, both ways, threshold included", () => {
    const five = parseDecimal("5");
    expect(isJump("100", "105", five)).toBe(false);
    expect(isJump("100", "105.0000001", five)).toBe(true);
    expect(isJump("100", "95", five)).toBe(false);
    expect(isJump("100", "94.99999999", five)).toBe(true);
    expect(isJump("0.1", "0.3", parseDecimal("0.5"))).toBe(true);
  });
});
