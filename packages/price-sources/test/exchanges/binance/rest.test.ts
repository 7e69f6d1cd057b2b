import { PriceError } from "@matchingo-mm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { binance } from "../../../src/index.ts";
import { manualClock } from "../../helpers/clock.ts";
import {
  binanceBook,
  binanceInvalidSymbol,
  binancePrice,
  queryOf,
} from "../../helpers/exchanges.ts";
import { startServer, type TestServer } from "../../helpers/server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("binance", () => {
  it("reads one symbol from ticker/price with a User-Agent naming the project", async () => {
    server.handle(() => ({ body: binancePrice("BTCUSDT", "50000.01000000") }));
    const clock = manualClock();
    const tick = await binance({ baseUrl: server.url, clock }).latest("BTC-USDT");
    expect(tick).toEqual({
      symbol: "BTC-USDT",
      price: "50000.01000000",
      receivedAt: clock.now(),
      source: "binance",
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe("/api/v3/ticker/price?symbol=BTCUSDT");
    expect(server.requests[0]?.headers["user-agent"]).toBe("matchingo-market-maker/0.1");
  });

  it("batches several symbols as symbols=[...] URL-encoded, in one request", async () => {
    server.handle(() => ({
      body: [binancePrice("BTCUSDT", "50000.01"), binancePrice("ETHUSDT", "3000.50")],
    }));
    const results = await binance({ baseUrl: server.url }).fetchTicks(["BTC-USDT", "ETH-USDT"]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe("/api/v3/ticker/price");
    expect(server.requests[0]?.query).toBe("symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT%22%5D");
    expect(queryOf(server.requests[0]?.query ?? "")).toEqual({ symbols: '["BTCUSDT","ETHUSDT"]' });
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000.01", source: "binance" });
    expect(results.get("ETH-USDT")).toMatchObject({ symbol: "ETH-USDT", price: "3000.50" });
  });

  it("adds best bid/ask from bookTicker when asked", async () => {
    server.handle((request) =>
      request.path.endsWith("/bookTicker")
        ? { body: binanceBook("BTCUSDT", "49999.99", "50000.02") }
        : { body: binancePrice("BTCUSDT", "50000.01") },
    );
    const tick = await binance({ baseUrl: server.url, bookTicker: true }).latest("BTC-USDT");
    expect(tick).toMatchObject({ price: "50000.01", bid: "49999.99", ask: "50000.02" });
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      "/api/v3/ticker/bookTicker?symbol=BTCUSDT",
      "/api/v3/ticker/price?symbol=BTCUSDT",
    ]);
  });

  it("uses the per-source override (the seed's EXTERNAL_SYMBOL) for a symbol", async () => {
    server.handle(() => ({ body: binancePrice("BTCFDUSD", "50000") }));
    const source = binance({ baseUrl: server.url, symbolOverrides: { "BTC-USDT": "BTCFDUSD" } });
    expect(await source.latest("BTC-USDT")).toMatchObject({ symbol: "BTC-USDT", price: "50000" });
    expect(server.requests[0]?.query).toBe("symbol=BTCFDUSD");
  });

  it("answers -1121 as unknown-symbol", async () => {
    server.handle(() => ({ status: 400, body: binanceInvalidSymbol }));
    const error = await binance({ baseUrl: server.url })
      .latest("FOO-USDT")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PriceError);
    expect(error).toMatchObject({ kind: "unknown-symbol", status: 400, symbol: "FOO-USDT" });
  });

  it("finds the unknown symbol that poisons a batch, and keeps it out of later batches", async () => {
    server.handle((request) => {
      const query = queryOf(request.query);
      if (query.symbols?.includes("FOOUSDT") || query.symbol === "FOOUSDT") {
        return { status: 400, body: binanceInvalidSymbol };
      }
      if (query.symbols) {
        return {
          body: (JSON.parse(query.symbols) as string[]).map((s) => binancePrice(s, "100")),
        };
      }
      return { body: binancePrice(query.symbol ?? "", "100") };
    });
    const source = binance({ baseUrl: server.url });
    const first = await source.fetchTicks(["BTC-USDT", "FOO-USDT", "ETH-USDT"]);
    expect(first.get("BTC-USDT")).toMatchObject({ price: "100" });
    expect(first.get("ETH-USDT")).toMatchObject({ price: "100" });
    expect(first.get("FOO-USDT")).toMatchObject({ kind: "unknown-symbol" });
    server.requests.length = 0;
    const second = await source.fetchTicks(["BTC-USDT", "FOO-USDT", "ETH-USDT"]);
    expect(second.get("FOO-USDT")).toMatchObject({ kind: "unknown-symbol" });
    expect(second.get("ETH-USDT")).toMatchObject({ price: "100" });
    expect(server.requests.map((r) => queryOf(r.query))).toEqual([
      { symbols: '["BTCUSDT","ETHUSDT"]' },
    ]);
  });

  it("rejects one bad entry of a batch and keeps the good ones", async () => {
    server.handle(() => ({
      body: [binancePrice("BTCUSDT", "0"), binancePrice("ETHUSDT", "3000.50")],
    }));
    const results = await binance({ baseUrl: server.url }).fetchTicks(["BTC-USDT", "ETH-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ kind: "invalid-price" });
    expect(results.get("ETH-USDT")).toMatchObject({ price: "3000.50" });
  });

  it("calls an answer for another symbol in a batch wrong-symbol", async () => {
    server.handle(() => ({
      body: [binancePrice("BTCUSDT", "50000"), binancePrice("SOLUSDT", "150")],
    }));
    const results = await binance({ baseUrl: server.url }).fetchTicks(["BTC-USDT", "ETH-USDT"]);
    expect(results.get("ETH-USDT")).toMatchObject({ kind: "wrong-symbol" });
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000" });
  });

  it("keeps to its weight budget without touching the network", async () => {
    server.handle(() => ({ body: binancePrice("BTCUSDT", "50000") }));
    const clock = manualClock();
    // ticker/price weighs 2 for one symbol: 4 units buy two requests.
    const source = binance({ baseUrl: server.url, clock, budget: { capacity: 4, perSecond: 2 } });
    await source.latest("BTC-USDT");
    await source.latest("BTC-USDT");
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({
      kind: "cooling-down",
      retryAfterMs: 1000,
    });
    expect(server.requests).toHaveLength(2);
    clock.advance(1000);
    await expect(source.latest("BTC-USDT")).resolves.toMatchObject({ price: "50000" });
    expect(server.requests).toHaveLength(3);
  });

  it("spends bookTicker's weight with the price's, so a round never goes out half", async () => {
    server.handle((request) =>
      request.path.endsWith("/bookTicker")
        ? { body: binanceBook("BTCUSDT", "1.0", "1.2") }
        : { body: binancePrice("BTCUSDT", "1.1") },
    );
    const clock = manualClock();
    const source = binance({
      baseUrl: server.url,
      clock,
      bookTicker: true,
      budget: { capacity: 6, perSecond: 1 },
    });
    await source.latest("BTC-USDT"); // weight 2 + 2
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({
      kind: "cooling-down",
      retryAfterMs: 2000,
    });
    expect(server.requests).toHaveLength(2);
  });

  it("refuses a bad base URL with an error naming it", () => {
    expect(() => binance({ baseUrl: "not a url" })).toThrow(/baseUrl "not a url"/);
    expect(() => binance({ timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
