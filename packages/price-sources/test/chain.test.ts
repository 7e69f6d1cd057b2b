import { PriceError } from "@matchingo-mm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  binance,
  type ChainEvent,
  coinbase,
  createFailoverChain,
  createPriceTrust,
  type FailoverOptions,
  kraken,
} from "../src/index.ts";
import { type ManualClock, manualClock } from "./helpers/clock.ts";
import { binancePrice, coinbaseTicker, krakenAnswer, krakenPair } from "./helpers/exchanges.ts";
import { type Reply, startServer, type TestServer } from "./helpers/server.ts";

/** Three real local servers answering like Binance, Coinbase and Kraken. */
interface Exchanges {
  binance: TestServer;
  coinbase: TestServer;
  kraken: TestServer;
}

let servers: Exchanges;
let clock: ManualClock;
let events: ChainEvent[];

const DOWN: Reply = { status: 503, body: "<html>maintenance</html>" };

/** Each exchange answers BTC-USDT at `price` (a string), or fails with a `Reply`. */
function answer(name: keyof Exchanges, price: string | Reply): void {
  servers[name].handle(() => {
    if (typeof price !== "string") return price;
    if (name === "binance") return { body: binancePrice("BTCUSDT", price) };
    if (name === "coinbase") {
      return { body: coinbaseTicker(price, new Date(clock.now() - 1000).toISOString()) };
    }
    return { body: krakenAnswer({ XBTUSDT: krakenPair(price) }) };
  });
}

function requests(): Record<keyof Exchanges, number> {
  return {
    binance: servers.binance.requests.length,
    coinbase: servers.coinbase.requests.length,
    kraken: servers.kraken.requests.length,
  };
}

function chain(options: FailoverOptions = {}, budgets = false as const) {
  const common = { clock, budget: budgets };
  return createFailoverChain(
    [
      binance({ ...common, baseUrl: servers.binance.url }),
      coinbase({ ...common, baseUrl: servers.coinbase.url }),
      kraken({ ...common, baseUrl: servers.kraken.url }),
    ],
    { clock, onEvent: (event) => events.push(event), ...options },
  );
}

const ofType = <T extends ChainEvent["type"]>(type: T) =>
  events.filter((event): event is Extract<ChainEvent, { type: T }> => event.type === type);

beforeEach(async () => {
  clock = manualClock();
  events = [];
  servers = {
    binance: await startServer(),
    coinbase: await startServer(),
    kraken: await startServer(),
  };
  answer("binance", "50000.00");
  answer("coinbase", "50001.00");
  answer("kraken", "50002.00");
});
afterEach(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

describe("failover chain", () => {
  it("answers from the preferred source and asks no other", async () => {
    const tick = await chain().latest("BTC-USDT");
    expect(tick).toMatchObject({ price: "50000.00", source: "binance" });
    expect(requests()).toEqual({ binance: 1, coinbase: 0, kraken: 0 });
    expect(events).toEqual([]);
  });

  it("fails over in order within the same tick and says who answered", async () => {
    answer("binance", DOWN);
    const feed = chain();
    expect(await feed.latest("BTC-USDT")).toMatchObject({ price: "50001.00", source: "coinbase" });
    expect(requests()).toEqual({ binance: 1, coinbase: 1, kraken: 0 });
    expect(ofType("failover")).toEqual([
      { type: "failover", symbol: "BTC-USDT", from: "binance", to: "coinbase" },
    ]);
    expect(ofType("source-failed")).toMatchObject([
      {
        source: "binance",
        failures: 1,
        retryInMs: 1000,
        error: { kind: "http-status", status: 503 },
      },
    ]);

    answer("coinbase", { status: 500, body: "oops" });
    clock.advance(1000);
    answer("binance", { status: 500, body: "still down" });
    expect(await feed.latest("BTC-USDT")).toMatchObject({ price: "50002.00", source: "kraken" });
    expect(ofType("failover").at(-1)).toEqual({
      type: "failover",
      symbol: "BTC-USDT",
      from: "coinbase",
      to: "kraken",
    });
  });

  it("fails with all-sources-failed and an AggregateError of every source's error", async () => {
    answer("binance", DOWN);
    answer("coinbase", { body: coinbaseTicker("0", new Date(clock.now()).toISOString()) });
    answer("kraken", { body: "<html>" });
    const error = await chain()
      .latest("BTC-USDT")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PriceError);
    expect(error).toMatchObject({ kind: "all-sources-failed", symbol: "BTC-USDT" });
    const cause = (error as PriceError).cause;
    expect(cause).toBeInstanceOf(AggregateError);
    expect((cause as AggregateError).errors.map((e: PriceError) => [e.source, e.kind])).toEqual([
      ["binance", "http-status"],
      ["coinbase", "invalid-price"],
      ["kraken", "bad-payload"],
    ]);
    expect(ofType("all-sources-failed")).toHaveLength(1);
  });

  it("cools a failed source down with growing back-off, probes it, and lets it take over again", async () => {
    const feed = chain({ backoff: { initialMs: 1000, factor: 2, maxMs: 10_000 } });
    answer("binance", DOWN);
    await feed.latest("BTC-USDT");
    expect(requests().binance).toBe(1);

    clock.advance(999); // still cooling: not asked
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "coinbase" });
    expect(requests().binance).toBe(1);

    clock.advance(1); // probed, fails again: back-off doubles
    await feed.latest("BTC-USDT");
    expect(requests().binance).toBe(2);
    expect(ofType("source-failed").map((e) => e.retryInMs)).toEqual([1000, 2000]);

    answer("binance", "50000.10");
    clock.advance(1999);
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "coinbase" });
    expect(requests().binance).toBe(2);

    clock.advance(1);
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "binance", price: "50000.10" });
    expect(ofType("failback")).toEqual([
      { type: "failback", symbol: "BTC-USDT", from: "coinbase", to: "binance" },
    ]);
    expect(ofType("source-recovered")).toEqual([
      { type: "source-recovered", source: "binance", downMs: 3000 },
    ]);
    const asked = requests();
    await feed.latest("BTC-USDT");
    expect(requests()).toEqual({ ...asked, binance: asked.binance + 1 });
  });

  it("honours Retry-After: no request to the limited source inside the window", async () => {
    const feed = chain({ backoff: { initialMs: 100 } });
    answer("binance", { status: 429, headers: { "retry-after": "60" }, body: { code: -1003 } });
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "coinbase" });
    answer("binance", "50000.00");
    for (let t = 0; t < 60_000; t += 7_500) {
      clock.advance(t === 0 ? 100 : 7_500);
      expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "coinbase" });
    }
    clock.set(Date.parse("2026-11-24T10:00:00.000Z") + 59_999);
    await feed.latest("BTC-USDT");
    expect(servers.binance.requests).toHaveLength(1);
    clock.set(Date.parse("2026-11-24T10:00:00.000Z") + 60_000);
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "binance" });
    expect(servers.binance.requests).toHaveLength(2);
  });

  it("moves on when a source's request budget is spent", async () => {
    const feed = createFailoverChain(
      [
        binance({ clock, baseUrl: servers.binance.url, budget: { capacity: 2, perSecond: 0.1 } }),
        coinbase({ clock, baseUrl: servers.coinbase.url, budget: false }),
      ],
      { clock },
    );
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "binance" });
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "coinbase" });
    expect(requests()).toMatchObject({ binance: 1, coinbase: 1 });
  });

  it("rejects a stale tick by the exchange's time and moves on", async () => {
    answer("binance", DOWN);
    servers.coinbase.handle(() => ({
      body: coinbaseTicker("50001.00", new Date(clock.now() - 31_000).toISOString()),
    }));
    const tick = await chain({ guards: { maxTickAgeMs: 30_000 } }).latest("BTC-USDT");
    expect(tick).toMatchObject({ source: "kraken" });
    expect(ofType("source-failed")).toMatchObject([
      { source: "binance" },
      { source: "coinbase", symbol: "BTC-USDT", error: { kind: "stale" } },
    ]);
  });

  describe("jump guard", () => {
    it("rejects an unconfirmed jump; the next source's plausible price answers", async () => {
      const feed = chain();
      await feed.latest("BTC-USDT");
      answer("binance", "52600.00"); // +5.2 %
      answer("coinbase", "50010.00");
      const tick = await feed.latest("BTC-USDT");
      expect(tick).toMatchObject({ price: "50010.00", source: "coinbase" });
      expect(ofType("jump-rejected")).toMatchObject([
        {
          symbol: "BTC-USDT",
          lastPrice: "50000.00",
          tick: { price: "52600.00", source: "binance" },
          error: { kind: "jump", source: "binance" },
        },
      ]);
      expect(feed.lastAccepted("BTC-USDT")?.price).toBe("50010.00");
    });

    it("gives no price when no second source can confirm the jump", async () => {
      const feed = chain();
      await feed.latest("BTC-USDT");
      answer("binance", "45000.00"); // -10 %
      answer("coinbase", DOWN);
      answer("kraken", { body: "<html>" });
      const error = await feed.latest("BTC-USDT").catch((e: unknown) => e);
      // Not trusted (issue 22): the kind says so, so the quotes are pulled at once.
      expect(error).toMatchObject({ kind: "untrusted" });
      const kinds = ((error as PriceError).cause as AggregateError).errors.map(
        (e: PriceError) => e.kind,
      );
      expect(kinds).toContain("jump");
      expect(feed.lastAccepted("BTC-USDT")?.price).toBe("50000.00");
    });

    it("accepts a jump a second source confirms", async () => {
      const feed = chain();
      await feed.latest("BTC-USDT");
      answer("binance", "56000.00"); // +12 %
      answer("coinbase", "55900.00"); // within 5 % of the new level
      const tick = await feed.latest("BTC-USDT");
      expect(tick).toMatchObject({ price: "56000.00", source: "binance" });
      expect(ofType("jump-confirmed")).toMatchObject([
        { lastPrice: "50000.00", confirmedBy: "coinbase", confirmingPrice: "55900.00" },
      ]);
      expect(requests().kraken).toBe(0);
    });

    it("moves exactly at the threshold without asking anyone else", async () => {
      const feed = chain({ guards: { maxJumpPercent: "5" } });
      await feed.latest("BTC-USDT");
      answer("binance", "52500.00"); // exactly +5 %
      expect(await feed.latest("BTC-USDT")).toMatchObject({ price: "52500.00", source: "binance" });
      expect(requests()).toMatchObject({ coinbase: 0, kraken: 0 });
    });
  });

  it("asks each source once per round for many symbols, failing over per symbol", async () => {
    servers.binance.handle(() => ({
      body: [binancePrice("BTCUSDT", "50000"), binancePrice("ETHUSDT", "0")],
    }));
    servers.coinbase.handle(() => ({
      body: coinbaseTicker("3000.5", new Date(clock.now()).toISOString()),
    }));
    const results = await chain().latestMany(["BTC-USDT", "ETH-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ source: "binance", price: "50000" });
    expect(results.get("ETH-USDT")).toMatchObject({ source: "coinbase", price: "3000.5" });
    expect(servers.binance.requests).toHaveLength(1);
    expect(servers.coinbase.requests.map((r) => r.path)).toEqual(["/products/ETH-USDT/ticker"]);
  });

  describe("a first price must earn trust (issue 22)", () => {
    const strict = () =>
      chain({
        trust: createPriceTrust(
          { confirmations: 3, maxGapMs: 30_000, jumpAcceptMs: 60_000 },
          clock,
        ),
      });

    it("asks every source for a first price and takes the one two agree on", async () => {
      answer("binance", "5000000.00");
      answer("coinbase", "50000.00");
      answer("kraken", "50010.00");
      const feed = strict();
      expect(await feed.latest("BTC-USDT")).toMatchObject({
        price: "50000.00",
        source: "coinbase",
      });
      expect(requests()).toEqual({ binance: 1, coinbase: 1, kraken: 1 });
      expect(ofType("price-trusted")).toMatchObject([{ how: "agreed", confirmedBy: ["kraken"] }]);
      expect(ofType("jump-rejected")).toMatchObject([{ tick: { price: "5000000.00" } }]);
      // Then trusted: the preferred source answering near it is enough again.
      clock.advance(60_000);
      answer("binance", "50005.00");
      expect(await feed.latest("BTC-USDT")).toMatchObject({ price: "50005.00", source: "binance" });
    });

    it("with one source, never quotes a bad first price and takes the right one once it held", async () => {
      answer("coinbase", DOWN);
      answer("kraken", DOWN);
      answer("binance", "5000000.00");
      const feed = strict();
      const untrusted = await feed.latest("BTC-USDT").catch((e: unknown) => e);
      expect(untrusted).toMatchObject({ kind: "untrusted" });
      expect((untrusted as PriceError).message).toContain("binance says 5000000.00");
      answer("binance", "50000.00");
      const kinds: string[] = [];
      for (let round = 0; round < 3; round++) {
        clock.advance(1000);
        kinds.push(
          await feed.latest("BTC-USDT").then(
            (t) => `price ${t.price}`,
            (e: PriceError) => e.kind,
          ),
        );
      }
      expect(kinds).toEqual(["untrusted", "untrusted", "price 50000.00"]);
      expect(ofType("price-trusted")).toMatchObject([{ how: "held", tick: { price: "50000.00" } }]);
      expect(ofType("price-untrusted")[0]).toMatchObject({ reason: "unconfirmed" });
    });
  });

  it("lets an operator reset the jump reference after checking a move is real", async () => {
    const feed = chain();
    await feed.latest("BTC-USDT");
    answer("binance", "60000.00");
    answer("coinbase", DOWN);
    answer("kraken", DOWN);
    await expect(feed.latest("BTC-USDT")).rejects.toMatchObject({ kind: "untrusted" });
    feed.resetJumpReference("BTC-USDT");
    clock.advance(60_000); // past binance's back-off for the rejected jump
    expect(await feed.latest("BTC-USDT")).toMatchObject({ price: "60000.00", source: "binance" });
  });

  it("contains a source that throws instead of answering", async () => {
    const broken = {
      name: "broken",
      fetchTicks: () => Promise.reject(new Error("bug")),
      latest: () => Promise.reject(new Error("bug")),
    };
    const feed = createFailoverChain(
      [broken, binance({ clock, baseUrl: servers.binance.url, budget: false })],
      { clock, onEvent: (event) => events.push(event) },
    );
    expect(await feed.latest("BTC-USDT")).toMatchObject({ source: "binance" });
    expect(ofType("source-failed")).toMatchObject([
      { source: "broken", error: { kind: "bad-payload" } },
    ]);
  });

  it("refuses bad options with errors naming them", () => {
    expect(() => createFailoverChain([])).toThrow(/sources/);
    expect(() => chain({ guards: { maxJumpPercent: -1 } })).toThrow(/maxJumpPercent/);
    expect(() => chain({ guards: { maxTickAgeMs: 0 } })).toThrow(/maxTickAgeMs/);
    expect(() => chain({ backoff: { initialMs: Number.NaN } })).toThrow(/backoff.initialMs/);
    const one = binance({ baseUrl: servers.binance.url });
    expect(() => createFailoverChain([one, one])).toThrow(/two sources are named "binance"/);
  });
});
