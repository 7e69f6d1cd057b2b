import type { PriceTick } from "@matchingo-mm/core";
import { PriceError } from "@matchingo-mm/core";
import { type ExchangeKit, startExchangeKit } from "@matchingo-mm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  binance,
  binanceStream,
  coinbase,
  coinbaseStream,
  createPriceTrust,
  createStreamingFeed,
  type FeedEvent,
  type FeedSource,
  kraken,
  krakenStream,
  midPrice,
  type StreamingFeed,
  type StreamingFeedOptions,
  synthetic,
  tickingStream,
} from "../../src/index.ts";

const SYMBOL = "BTC-USDT";
let kit: ExchangeKit;
let feed: StreamingFeed | undefined;

beforeEach(async () => {
  kit = await startExchangeKit({
    prices: { [SYMBOL]: { bid: "50000.00", ask: "50001.00", last: "50000.40" } },
    heartbeatMs: 100,
  });
});

afterEach(async () => {
  feed?.close();
  feed = undefined;
  await kit.close();
});

const timing = { staleMs: 1000, reconnect: { initialMs: 20, maxMs: 100 } };

function sources(
  which: readonly ("binance" | "coinbase" | "kraken")[] = ["binance", "coinbase", "kraken"],
): FeedSource[] {
  const all = {
    binance: {
      name: "binance",
      stream: binanceStream({ url: kit.binance.url, ...timing }),
      poll: binance({ baseUrl: kit.url, bookTicker: true }),
    },
    coinbase: {
      name: "coinbase",
      stream: coinbaseStream({ url: kit.coinbase.url, ...timing }),
      poll: coinbase({ baseUrl: kit.url }),
    },
    kraken: {
      name: "kraken",
      stream: krakenStream({ url: kit.kraken.url, ...timing }),
      poll: kraken({ baseUrl: kit.url }),
    },
  };
  return which.map((name) => all[name]);
}

function build(list: FeedSource[], options: StreamingFeedOptions = {}) {
  const events: FeedEvent[] = [];
  feed = createStreamingFeed(list, { onEvent: (event) => events.push(event), ...options });
  return { feed, events };
}

describe("reference price", () => {
  it("is the exact mid of best bid and ask", () => {
    expect(midPrice("50000.00", "50001.00")).toBe("50000.50");
    expect(midPrice("0.00000001", "0.00000002")).toBe("0.000000015");
    expect(midPrice("50000.123456789012345678", "50000.123456789012345679")).toBe(
      "50000.1234567890123456785",
    );
  });
});

describe("streaming feed, failover mode", () => {
  it("answers from the stream at once once it is live, the mid by default", async () => {
    const { feed } = build(sources(["binance"]));
    feed.track([SYMBOL]);
    await expect.poll(() => feed.status(SYMBOL).via, { timeout: 5000 }).toBeUndefined();
    await expect.poll(async () => (await feed.latest(SYMBOL)).price).toBe("50000.50");
    await expect
      .poll(async () => {
        await feed.latest(SYMBOL);
        return feed.status(SYMBOL).via;
      })
      .toBe("stream");
    const requests = kit.requests.binance;
    kit.setPrice(SYMBOL, { bid: "50010.00", ask: "50012.00", last: "50011" });
    await expect.poll(async () => (await feed.latest(SYMBOL)).price).toBe("50011.00");
    expect(kit.requests.binance).toBe(requests); // no REST while the stream is up
    expect(feed.status(SYMBOL)).toMatchObject({ source: "binance", via: "stream" });
  });

  it("uses the last trade with priceType last", async () => {
    const { feed } = build(sources(["coinbase"]), { priceType: "last" });
    feed.track([SYMBOL]);
    await expect
      .poll(async () => {
        const tick = await feed.latest(SYMBOL);
        return feed.status(SYMBOL).via === "stream" ? tick.price : undefined;
      })
      .toBe("50000.40");
  });

  it("falls back to the same exchange's REST poll while its stream is down, and back", async () => {
    const { feed, events } = build(sources(["binance", "coinbase"]));
    feed.track([SYMBOL]);
    await expect
      .poll(async () => {
        await feed.latest(SYMBOL);
        return feed.status(SYMBOL).via;
      })
      .toBe("stream");

    kit.binance.refuse(true);
    kit.binance.drop();
    kit.setPrice(SYMBOL, { bid: "50100.00", ask: "50102.00", last: "50101" }, ["binance"]);
    await expect
      .poll(async () => {
        const tick = await feed.latest(SYMBOL);
        return `${tick.source} ${feed.status(SYMBOL).via} ${tick.price}`;
      })
      .toBe("binance poll 50101.00");
    expect(events).toContainEqual({
      type: "feed-changed",
      symbol: SYMBOL,
      from: { source: "binance", via: "stream" },
      to: { source: "binance", via: "poll" },
    });

    kit.binance.refuse(false);
    await expect
      .poll(
        async () => {
          await feed.latest(SYMBOL);
          return feed.status(SYMBOL).via;
        },
        { timeout: 5000 },
      )
      .toBe("stream");
    expect(events).toContainEqual({
      type: "feed-changed",
      symbol: SYMBOL,
      from: { source: "binance", via: "poll" },
      to: { source: "binance", via: "stream" },
    });
    expect(feed.status(SYMBOL).source).toBe("binance");
    expect(feed.status(SYMBOL).failovers).toBeGreaterThanOrEqual(2);
    expect(feed.status(SYMBOL).reconnects).toBeGreaterThanOrEqual(1);
  });

  it("fails over to the next exchange when both stream and REST of the first are down", async () => {
    const { feed } = build(sources(["binance", "coinbase"]));
    feed.track([SYMBOL]);
    kit.binance.refuse(true);
    kit.binance.drop();
    kit.restFault("binance", { status: 503 });
    await expect
      .poll(
        async () => {
          const tick = await feed.latest(SYMBOL).catch(() => undefined);
          return tick?.source;
        },
        { timeout: 5000 },
      )
      .toBe("coinbase");
  });

  it("answers from REST at once when no stream can connect (no wait for a stream)", async () => {
    kit.binance.refuse(true);
    const { feed } = build(sources(["binance"]));
    const tick = await feed.latest(SYMBOL);
    expect(tick).toMatchObject({ source: "binance", price: "50000.50" });
    expect(feed.status(SYMBOL).via).toBe("poll");
  });

  it("never turns a bad stream frame into a price", async () => {
    const { feed } = build(sources(["binance"]));
    feed.track([SYMBOL]);
    await expect
      .poll(async () => {
        await feed.latest(SYMBOL);
        return feed.status(SYMBOL).via;
      })
      .toBe("stream");
    kit.binance.send(
      '{"stream":"btcusdt@bookTicker","data":{"u":99999,"s":"BTCUSDT","b":"0","B":"1","a":"1","A":"1"}}',
    );
    kit.binance.send("garbage");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await feed.latest(SYMBOL)).price).toBe("50000.50");
  });
});

describe("streaming feed, median mode", () => {
  it("takes the median of every fresh source and leaves out one too far from the others", async () => {
    const { feed, events } = build(sources(), { mode: "median", maxSourceDeviationPercent: 1 });
    kit.setPrice(SYMBOL, "50000.00", ["binance"]);
    kit.setPrice(SYMBOL, "50010.00", ["coinbase"]);
    kit.setPrice(SYMBOL, "55000.00", ["kraken"]);
    feed.track([SYMBOL]);
    await expect
      .poll(
        async () => {
          const tick = await feed.latest(SYMBOL);
          return `${tick.source} ${tick.price} ${feed.status(SYMBOL).via}`;
        },
        { timeout: 5000 },
      )
      .toBe("median(binance,coinbase) 50005.00 stream");
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "source-excluded",
        symbol: SYMBOL,
        source: "kraken",
        price: "55000.00",
        median: "50010.00",
      }),
    );
  });

  it("fails with all-sources-failed when the only two sources disagree", async () => {
    const { feed } = build(sources(["binance", "coinbase"]), { mode: "median" });
    kit.setPrice(SYMBOL, "50000.00", ["binance"]);
    kit.setPrice(SYMBOL, "60000.00", ["coinbase"]);
    const error = await feed.latest(SYMBOL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PriceError);
    expect((error as PriceError).kind).toBe("all-sources-failed");
    expect((error as PriceError).message).toContain("disagree");
  });
});

describe("streaming feed, trust (issue 22)", () => {
  it("median mode: one source's first price is not trusted until it held; two agreeing are", async () => {
    const trust = createPriceTrust({ confirmations: 2, minRoundGapMs: 200 });
    const { feed, events } = build(sources(["binance"]), { mode: "median", trust });
    kit.setPrice(SYMBOL, "5000000.00", ["binance"]);
    const first = await feed.latest(SYMBOL).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: "untrusted" });
    expect((first as PriceError).message).toContain("binance says 5000000.00");
    kit.setPrice(SYMBOL, "50000.00", ["binance"]);
    await expect
      .poll(async () => (await feed.latest(SYMBOL).catch(() => undefined))?.price, {
        timeout: 5000,
      })
      .toBe("50000.00");
    expect(events).toContainEqual(
      expect.objectContaining({ type: "price-trusted", how: "held", symbol: SYMBOL }),
    );
    expect(trust.status(SYMBOL)).toMatchObject({ trusted: true, reference: "50000.00" });
  });

  it("failover mode shares the trust it is given: a reference set elsewhere guards its jumps", async () => {
    const trust = createPriceTrust({ jumpAcceptMs: 60_000 });
    const { feed } = build(sources(["binance"]), { trust });
    kit.setPrice(SYMBOL, "50000.00", ["binance"]);
    await expect
      .poll(async () => (await feed.latest(SYMBOL).catch(() => undefined))?.price, {
        timeout: 5000,
      })
      .toBe("50000.00");
    kit.setPrice(SYMBOL, "65000.00", ["binance"]);
    await expect
      .poll(async () => (await feed.latest(SYMBOL).catch((e: PriceError) => e.kind)) as string, {
        timeout: 5000,
      })
      .toBe("untrusted");
    expect(trust.status(SYMBOL)).toMatchObject({
      trusted: false,
      reason: "jump",
      reference: "50000.00",
    });
  });
});

describe("subscribe", () => {
  it("calls back on every new stream price, and with polled prices while the stream is down", async () => {
    const { feed } = build(sources(["binance"]), { pollIntervalMs: 50, pollMaxAgeMs: 20 });
    const ticks: PriceTick[] = [];
    const stop = feed.subscribe(SYMBOL, (tick) => ticks.push(tick));
    await expect.poll(() => feed.status(SYMBOL).via === "stream" && ticks.length > 0).toBe(true);
    kit.setPrice(SYMBOL, { bid: "50100.00", ask: "50100.00", last: "50100" });
    await expect.poll(() => ticks.at(-1)?.price).toBe("50100.00");
    kit.setPrice(SYMBOL, { bid: "50200.00", ask: "50200.00", last: "50200" });
    await expect.poll(() => ticks.at(-1)?.price).toBe("50200.00");

    kit.binance.refuse(true);
    kit.binance.drop();
    kit.setPrice(SYMBOL, { bid: "50300.00", ask: "50300.00", last: "50300" });
    await expect.poll(() => ticks.at(-1)?.price, { timeout: 5000 }).toBe("50300.00");
    expect(feed.status(SYMBOL).via).toBe("poll");
    stop();
    const count = ticks.length;
    kit.binance.refuse(false);
    kit.setPrice(SYMBOL, "50400.00");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ticks.length).toBe(count);
  });

  it("coalesces a burst: the newest price is the last one delivered", async () => {
    const { feed } = build(sources(["binance"]));
    const ticks: PriceTick[] = [];
    feed.subscribe(SYMBOL, (tick) => ticks.push(tick));
    await expect.poll(() => feed.status(SYMBOL).via).toBe("stream");
    let n = 0;
    const stop = kit.binance.pushRate(SYMBOL, 200, () => {
      n += 1;
      return `${50000 + n}.00`;
    });
    await expect.poll(() => n).toBeGreaterThan(50);
    stop();
    const final = `${50000 + n}.00`;
    await expect.poll(() => ticks.at(-1)?.price).toBe(final);
    const prices = ticks.map((t) => Number(t.price));
    expect([...prices].sort((a, b) => a - b)).toEqual(prices); // never out of order
  });

  it("the synthetic source streams several ticks a second", async () => {
    const walk = synthetic({ startPrice: "100.00", seed: 7 });
    const { feed } = build([
      { name: "synthetic", stream: tickingStream(walk, { intervalMs: 25 }) },
    ]);
    const ticks: PriceTick[] = [];
    feed.subscribe(SYMBOL, (tick) => ticks.push(tick));
    await expect.poll(() => ticks.length, { timeout: 5000 }).toBeGreaterThanOrEqual(5);
    expect(ticks.every((t) => t.source === "synthetic")).toBe(true);
    expect(new Set(ticks.map((t) => t.price)).size).toBeGreaterThan(1);
  });
});
