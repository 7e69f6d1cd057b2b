import { describe, expect, it } from "vitest";
import {
  canonicalFromKrakenKey,
  exchangeSymbols,
  krakenResultKeys,
  SYMBOL_TABLE,
  toExchangeSymbol,
} from "../../src/index.ts";

describe("symbol mapping", () => {
  it("spells every pair of the table the way each exchange does", () => {
    expect(SYMBOL_TABLE).toEqual({
      "BTC-USDT": { binance: "BTCUSDT", coinbase: "BTC-USDT", kraken: "XBTUSDT" },
      "ETH-USDT": { binance: "ETHUSDT", coinbase: "ETH-USDT", kraken: "ETHUSDT" },
      "SOL-USDT": { binance: "SOLUSDT", coinbase: "SOL-USDT", kraken: "SOLUSDT" },
      "DOGE-USDT": { binance: "DOGEUSDT", coinbase: "DOGE-USDT", kraken: "XDGUSDT" },
      "BTC-USD": { binance: "BTCUSD", coinbase: "BTC-USD", kraken: "XBTUSD" },
      "ETH-USD": { binance: "ETHUSD", coinbase: "ETH-USD", kraken: "ETHUSD" },
      "DOGE-USD": { binance: "DOGEUSD", coinbase: "DOGE-USD", kraken: "XDGUSD" },
      "ETH-BTC": { binance: "ETHBTC", coinbase: "ETH-BTC", kraken: "ETHXBT" },
      "BTC-EUR": { binance: "BTCEUR", coinbase: "BTC-EUR", kraken: "XBTEUR" },
    });
  });

  it("applies a per-source override before the rules", () => {
    expect(toExchangeSymbol("binance", "BTC-USDT", { "BTC-USDT": "BTCFDUSD" })).toBe("BTCFDUSD");
    expect(toExchangeSymbol("kraken", "BTC-USDT", { "ETH-USDT": "X" })).toBe("XBTUSDT");
    // An override may name a symbol that is not BASE-QUOTE at all.
    expect(toExchangeSymbol("binance", "legacy", { legacy: "BTCUSDT" })).toBe("BTCUSDT");
  });

  it("refuses a symbol that is not BASE-QUOTE, naming it", () => {
    expect(() => exchangeSymbols("BTCUSDT")).toThrow(/"BTCUSDT" is not a canonical BASE-QUOTE/);
    expect(() => toExchangeSymbol("coinbase", "btc-usdt")).toThrow(/"btc-usdt"/);
  });

  it("knows Kraken's renamed result keys", () => {
    expect(krakenResultKeys("BTC-USD", "XBTUSD")).toEqual(["XBTUSD", "XBT/USD", "XXBTZUSD"]);
    expect(krakenResultKeys("ETH-BTC", "ETHXBT")).toEqual(["ETHXBT", "ETH/XBT", "XETHXXBT"]);
    expect(krakenResultKeys("BTC-USDT", "XBTUSDT")).toEqual(["XBTUSDT", "XBT/USDT"]);
    expect(canonicalFromKrakenKey("XXBTZUSD")).toBe("BTC-USD");
    expect(canonicalFromKrakenKey("XETHZEUR")).toBe("ETH-EUR");
    expect(canonicalFromKrakenKey("XXDGZUSD")).toBe("DOGE-USD");
    expect(canonicalFromKrakenKey("XBT/USDT")).toBe("BTC-USDT");
    expect(canonicalFromKrakenKey("XDGUSDT")).toBe("DOGE-USDT");
    expect(canonicalFromKrakenKey("what.ever")).toBeUndefined();
  });
});
