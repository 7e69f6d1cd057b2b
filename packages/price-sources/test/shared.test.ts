import { PriceError } from "@matchingo-mm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  binance,
  coinbase,
  createFailoverChain,
  createSharedFeed,
  kraken,
  type PriceSource,
  type TickResults,
} from "../src/index.ts";
import { manualClock } from "./helpers/clock.ts";
import {
  binancePrice,
  coinbaseTicker,
  krakenAnswer,
  krakenPair,
  queryOf,
} from "./helpers/exchanges.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

const SYMBOLS = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "DOGE-USDT", "ADA-USDT", "XRP-USDT"];

let binanceServer: TestServer;
let coinbaseServer: TestServer;
let krakenServer: TestServer;
beforeEach(async () => {
  binanceServer = await startServer((request) => ({
    body: (JSON.parse(queryOf(request.query).symbols ?? "[]") as string[]).map((symbol) =>
      binancePrice(symbol, "10.5"),
    ),
  }));
  coinbaseServer = await startServer(() => ({
    body: coinbaseTicker("10.6", new Date().toISOString()),
  }));
  krakenServer = await startServer((request) => ({
    body: krakenAnswer(
      Object.fromEntries(
        (queryOf(request.query).pair ?? "").split(",").map((pair) => [pair, krakenPair("10.7")]),
      ),
    ),
  }));
});
afterEach(async () => {
  await Promise.all([binanceServer.close(), coinbaseServer.close(), krakenServer.close()]);
});

function chainOver(urls: { binance: string; coinbase: string; kraken: string }) {
  return createFailoverChain([
    binance({ baseUrl: urls.binance, budget: false }),
    coinbase({ baseUrl: urls.coinbase, budget: false }),
    kraken({ baseUrl: urls.kraken, budget: false }),
  ]);
}

describe("shared feed", () => {
  it("turns N concurrent latest() calls into one batched request to Binance", async () => {
    const feed = createSharedFeed(
      chainOver({
        binance: binanceServer.url,
        coinbase: coinbaseServer.url,
        kraken: krakenServer.url,
      }),
    );
    const ticks = await Promise.all(SYMBOLS.map((symbol) => feed.latest(symbol)));
    expect(ticks.map((tick) => [tick.symbol, tick.price, tick.source])).toEqual(
      SYMBOLS.map((symbol) => [symbol, "10.5", "binance"]),
    );
    expect(binanceServer.requests).toHaveLength(1);
    expect(JSON.parse(queryOf(binanceServer.requests[0]?.query ?? "").symbols ?? "")).toEqual(
      SYMBOLS.map((symbol) => symbol.replace("-", "")),
    );
    expect(feed.stats().rounds).toBe(1);
  });

  it("after failover: one Kraken request for all pairs, one Coinbase request per product", async () => {
    binanceServer.handle(() => ({ status: 503, body: "down" }));
    coinbaseServer.handle((request) =>
      request.path.startsWith("/products/BTC-")
        ? { body: coinbaseTicker("10.6", new Date().toISOString()) }
        : { status: 404, body: { message: "NotFound" } },
    );
    const feed = createSharedFeed(
      chainOver({
        binance: binanceServer.url,
        coinbase: coinbaseServer.url,
        kraken: krakenServer.url,
      }),
    );
    const doubled = [...SYMBOLS, ...SYMBOLS];
    const ticks = await Promise.all(doubled.map((symbol) => feed.latest(symbol)));
    expect(ticks[0]).toMatchObject({ symbol: "BTC-USDT", source: "coinbase" });
    expect(ticks.slice(1, SYMBOLS.length).every((tick) => tick.source === "kraken")).toBe(true);
    expect(binanceServer.requests).toHaveLength(1);
    expect(coinbaseServer.requests.map((r) => r.path).sort()).toEqual(
      SYMBOLS.map((symbol) => `/products/${symbol}/ticker`).sort(),
    );
    expect(krakenServer.requests.map((r) => r.query)).toEqual([
      "pair=ETHUSDT,SOLUSDT,XDGUSDT,ADAUSDT,XRPUSDT",
    ]);
  });

  /** A counting source, to check the feed's own bookkeeping without a network. */
  function countingSource(): PriceSource & { calls: string[][] } {
    const calls: string[][] = [];
    const fetchTicks = async (symbols: readonly string[]) => {
      calls.push([...symbols]);
      const results: TickResults = new Map();
      for (const symbol of symbols) {
        results.set(
          symbol,
          symbol.startsWith("BAD")
            ? new PriceError("no", { kind: "unknown-symbol", symbol })
            : { symbol, price: String(calls.length), receivedAt: 0, source: "count" },
        );
      }
      return results;
    };
    return { name: "count", calls, fetchTicks, latest: async () => Promise.reject(new Error()) };
  }

  it("rejects each caller with its own symbol's error, others still get prices", async () => {
    const source = countingSource();
    const feed = createSharedFeed(source);
    const [good, bad] = await Promise.allSettled([feed.latest("A-B"), feed.latest("BAD-X")]);
    expect(good).toMatchObject({ status: "fulfilled", value: { price: "1" } });
    expect(bad).toMatchObject({ status: "rejected", reason: { kind: "unknown-symbol" } });
    expect(source.calls).toEqual([["A-B", "BAD-X"]]);
  });

  it("reuses a round younger than maxAgeMs and refreshes every recent symbol together", async () => {
    const source = countingSource();
    const clock = manualClock();
    const feed = createSharedFeed(source, { maxAgeMs: 1000, clock });
    await Promise.all([feed.latest("A-B"), feed.latest("C-D")]);
    clock.advance(400);
    expect(await feed.latest("C-D")).toMatchObject({ price: "1" });
    expect(source.calls).toHaveLength(1);
    clock.advance(600);
    // A-B's due: the round also refreshes C-D, which a worker will ask for next.
    expect(await feed.latest("A-B")).toMatchObject({ price: "2" });
    expect(await feed.latest("C-D")).toMatchObject({ price: "2" });
    expect(source.calls).toEqual([
      ["A-B", "C-D"],
      ["A-B", "C-D"],
    ]);
    expect(feed.stats()).toEqual({ rounds: 2, joined: 0, reused: 2 });
  });

  it("asks the configured symbols in every round", async () => {
    const source = countingSource();
    const feed = createSharedFeed(source, { symbols: ["X-Y", "Z-W"] });
    await feed.latest("A-B");
    expect(source.calls).toEqual([["A-B", "X-Y", "Z-W"]]);
  });

  it("lets a caller asking for a symbol that rides along in a round join it", async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: PriceSource = {
      name: "slow",
      async fetchTicks(symbols) {
        calls.push([...symbols]);
        await released;
        const ticks: TickResults = new Map();
        for (const symbol of symbols) {
          ticks.set(symbol, { symbol, price: "7", receivedAt: 0, source: "slow" });
        }
        return ticks;
      },
      latest: () => Promise.reject(new Error("unused")),
    };
    const feed = createSharedFeed(slow, { symbols: ["X-Y"] });
    const first = feed.latest("A-B");
    await new Promise((resolve) => setTimeout(resolve, 5)); // the round is now in flight
    const rider = feed.latest("X-Y");
    release();
    await expect(Promise.all([first, rider])).resolves.toMatchObject([
      { price: "7" },
      { price: "7" },
    ]);
    expect(calls).toEqual([["A-B", "X-Y"]]);
    expect(feed.stats()).toMatchObject({ rounds: 1, joined: 1 });
  });

  it("lets a caller stop waiting without ending the round for others", async () => {
    const source = countingSource();
    const feed = createSharedFeed(source, { windowMs: 20 });
    const controller = new AbortController();
    const mine = feed.latest("A-B", { signal: controller.signal });
    const theirs = feed.latest("A-B");
    controller.abort();
    await expect(mine).rejects.toMatchObject({ kind: "aborted" });
    await expect(theirs).resolves.toMatchObject({ price: "1" });
    expect(feed.stats().joined).toBe(1);
  });

  it("answers latestMany from one round", async () => {
    const source = countingSource();
    const feed = createSharedFeed(source);
    const results = await feed.latestMany(["A-B", "BAD-1", "A-B"]);
    expect([...results.keys()]).toEqual(["A-B", "BAD-1"]);
    expect(source.calls).toHaveLength(1);
  });
});
