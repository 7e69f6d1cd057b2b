import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { StreamingFeed } from "@matchingo-mm/price-sources";
import { EXCHANGES, StreamError } from "@matchingo-mm/price-sources";
import { type ExchangeKit, startExchangeKit } from "@matchingo-mm/testkit";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeProblem } from "../src/config/raw.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import type { RunnerConfig } from "../src/config/types.ts";
import { buildPriceFeed, firstPrices, type PriceFeedSetup } from "../src/prices/build-feed.ts";
import { feedInfoOf } from "../src/prices/feed-status.ts";
import { logFeedEvents } from "../src/prices/log-feed-events.ts";
import { sourceSettingsOf } from "../src/prices/source-settings.ts";

const cwd = mkdtempSync(join(tmpdir(), "mm-price-feed-"));

function config(env: Record<string, string>): RunnerConfig {
  const resolved = resolveConfig({ argv: [], env: { SYMBOLS: "BTC-USDT", ...env }, cwd });
  if (!resolved.config) throw new Error(resolved.problems.map(describeProblem).join("\n"));
  return resolved.config;
}

describe("stream settings", () => {
  it("default to stream, mid, failover, 1 %, 5 s and the public endpoints", () => {
    const c = config({});
    expect(c).toMatchObject({
      priceFeed: "stream",
      priceType: "mid",
      priceMode: "failover",
      maxSourceDeviationPercent: "1",
      streamStaleMs: 5000,
      binanceWsUrl: "wss://stream.binance.com/stream",
      coinbaseWsUrl: "wss://ws-feed.exchange.coinbase.com",
      krakenWsUrl: "wss://ws.kraken.com/v2",
    });
  });

  it("default to each exchange's public endpoints, the ones its adapter streams from only when unchanged", () => {
    const c = config({});
    for (const exchange of EXCHANGES) {
      expect(sourceSettingsOf(c, exchange)).toMatchObject({
        restUrl: exchange.endpoints.rest,
        wsUrl: exchange.endpoints.ws,
      });
    }
    expect(
      sourceSettingsOf(config({ KRAKEN_URL: "http://127.0.0.1:1" }), EXCHANGES[2]),
    ).toMatchObject({
      restUrl: "http://127.0.0.1:1",
      wsUrl: "wss://ws.kraken.com/v2",
    });
  });

  it("name every bad value", () => {
    const resolved = resolveConfig({
      argv: [],
      env: {
        PRICE_FEED: "push",
        PRICE_TYPE: "vwap",
        PRICE_MODE: "mean",
        MAX_SOURCE_DEVIATION_PERCENT: "0",
        STREAM_STALE_SECONDS: "never",
        KRAKEN_WS_URL: "https://ws.kraken.com/v2",
      },
      cwd,
    });
    const text = resolved.problems.map(describeProblem).join("\n");
    for (const expected of [
      /PRICE_FEED.*push.*stream or poll/,
      /PRICE_TYPE.*vwap.*mid or last/,
      /PRICE_MODE.*mean.*failover or median/,
      /MAX_SOURCE_DEVIATION_PERCENT.*0/,
      /STREAM_STALE_SECONDS.*never/,
      /KRAKEN_WS_URL.*ws:\/\/ or wss:\/\//,
    ]) {
      expect(text).toMatch(expected);
    }
  });
});

describe("buildPriceFeed", () => {
  let kit: ExchangeKit;
  let setup: PriceFeedSetup | undefined;
  beforeEach(async () => {
    kit = await startExchangeKit({
      prices: { "BTC-USDT": { bid: "50000.00", ask: "50002.00", last: "50001.50" } },
      heartbeatMs: 100,
    });
  });
  afterEach(async () => {
    setup?.close();
    setup = undefined;
    await kit.close();
  });

  const local = () => ({
    BINANCE_URL: kit.url,
    COINBASE_URL: kit.url,
    KRAKEN_URL: kit.url,
  });

  it("PRICE_FEED=stream: the feed follows the local streams, mid price, with status", async () => {
    setup = buildPriceFeed(
      config({
        ...local(),
        BINANCE_WS_URL: kit.binance.url,
        COINBASE_WS_URL: kit.coinbase.url,
        KRAKEN_WS_URL: kit.kraken.url,
      }),
    );
    const streaming = setup.streaming as StreamingFeed;
    expect(setup.feed).toBe(streaming);
    await expect
      .poll(async () => {
        const tick = await setup!.feed.latest("BTC-USDT");
        return `${tick.source} ${tick.price} ${streaming.status("BTC-USDT").via}`;
      })
      .toBe("binance 50001.00 stream");
    kit.setPrice("BTC-USDT", { bid: "50100.00", ask: "50100.50", last: "50100" });
    await expect.poll(async () => (await setup!.feed.latest("BTC-USDT")).price).toBe("50100.25");
    // Only one connection per exchange, however many calls.
    expect(kit.binance.connects()).toBe(1);
  });

  it("the streams' own events (connect, subscribe, loss) reach onFeedEvent; feedInfoOf reads the feed", async () => {
    const events: string[] = [];
    setup = buildPriceFeed(
      // A lone source's first price taken as it comes: this is about the streams.
      config({
        ...local(),
        BINANCE_WS_URL: kit.binance.url,
        PRICE_SOURCES: "binance",
        FIRST_PRICE_CONFIRMATIONS: "1",
      }),
      { onFeedEvent: (event) => events.push(event.type) },
    );
    await expect
      .poll(async () => {
        await setup!.feed.latest("BTC-USDT");
        return feedInfoOf(setup!, "BTC-USDT", undefined, Date.now()).via;
      })
      .toBe("stream");
    expect(events).toContain("stream-connected");
    expect(events).toContain("stream-subscribed");
    kit.binance.refuse(true);
    kit.binance.drop();
    await expect.poll(() => events.includes("stream-disconnected")).toBe(true);
    await expect
      .poll(async () => {
        await setup!.feed.latest("BTC-USDT");
        return feedInfoOf(setup!, "BTC-USDT", undefined, Date.now()).via;
      })
      .toBe("poll");
    const down = feedInfoOf(setup, "BTC-USDT", undefined, Date.now());
    expect(down).toMatchObject({ source: "binance", gaps: 0 });
    // Refused reconnect attempts count too; the first price may have been polled.
    expect(down.reconnects).toBeGreaterThanOrEqual(1);
    expect(down.failovers).toBeGreaterThanOrEqual(1);
  });

  it("feedInfoOf with PRICE_FEED=poll: via poll, from the price last handed out, not trusted before a round", () => {
    setup = buildPriceFeed(config({ ...local(), PRICE_FEED: "poll" }));
    const price = { value: "50001.50", source: "coinbase", receivedAt: 1_000 };
    expect(feedInfoOf(setup, "BTC-USDT", price, 1_250)).toEqual({
      trust: { trusted: false },
      via: "poll",
      source: "coinbase",
      ageMs: 250,
      reconnects: 0,
      gaps: 0,
      failovers: 0,
    });
  });

  it("first prices come from REST, so a stream that cannot connect never delays the start", async () => {
    kit.binance.refuse(true);
    setup = buildPriceFeed(
      config({ ...local(), BINANCE_WS_URL: kit.binance.url, PRICE_SOURCES: "binance,coinbase" }),
    );
    const first = await firstPrices(setup, ["BTC-USDT"], 2000);
    // Binance and Coinbase agree on it: a first price trusted in one round.
    expect(first.get("BTC-USDT")).toMatchObject({ source: "binance", price: "50001.50" });
    expect(kit.binance.connects()).toBe(0);
  });

  it("a REST URL pointed elsewhere without its WS URL means poll for that exchange", async () => {
    setup = buildPriceFeed(config(local()));
    expect(setup.streaming).toBeUndefined();
    expect(setup.feed).toBe(setup.shared);
  });

  it("PRICE_FEED=poll keeps the shared REST feed", async () => {
    setup = buildPriceFeed(
      config({ ...local(), PRICE_FEED: "poll", BINANCE_WS_URL: kit.binance.url }),
    );
    expect(setup.streaming).toBeUndefined();
    expect((await setup.feed.latest("BTC-USDT")).price).toBe("50001.50");
    expect(kit.binance.connects()).toBe(0);
  });

  it("PRICE_SOURCES=replay plays the configured tape in a loop, offline and polled only", async () => {
    const tape = join(cwd, "tape.csv");
    writeFileSync(tape, "time,price\n1,101.5\n2,102.5\n");
    setup = buildPriceFeed(config({ PRICE_SOURCES: "replay", REPLAY_FILE: tape }));
    expect(setup).toMatchObject({ offline: true, sources: ["replay"] });
    expect(setup.streaming).toBeUndefined();
    const prices: string[] = [];
    for (let i = 0; i < 3; i++) prices.push((await setup.chain.latest("BTC-USDT")).price);
    expect(prices).toEqual(["101.5", "102.5", "101.5"]);
  });

  it("a live source beside an offline one is not offline", () => {
    setup = buildPriceFeed(config({ ...local(), PRICE_SOURCES: "synthetic,kraken" }));
    expect(setup.offline).toBe(false);
    const sandbox = buildPriceFeed(config({ PRICE_SOURCES: "synthetic" }));
    sandbox.close();
    expect(sandbox.offline).toBe(true);
  });

  it("the synthetic source streams several ticks a second", async () => {
    setup = buildPriceFeed(config({ PRICE_SOURCES: "synthetic" }));
    const streaming = setup.streaming as StreamingFeed;
    const prices: string[] = [];
    streaming.subscribe("BTC-USDT", (tick) => prices.push(tick.price));
    await expect.poll(() => prices.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
  });
});

describe("logFeedEvents", () => {
  it("logs stream trouble as warnings naming the stream and the kind", () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const log = logFeedEvents(pino({ level: "info" }, sink));
    log({
      type: "stream-error",
      stream: "kraken",
      error: new StreamError("kraken: not JSON", {
        kind: "malformed",
        exchange: "kraken",
        frame: "{",
      }),
    });
    log({
      type: "stream-disconnected",
      stream: "binance",
      reason: "closed (1006)",
      reconnects: 2,
      reconnectInMs: 250,
    });
    log({
      type: "feed-changed",
      symbol: "BTC-USDT",
      from: undefined,
      to: { source: "binance", via: "stream" },
    });
    expect(lines).toMatchObject([
      { level: 40, stream: "kraken", kind: "malformed", frame: "{" },
      {
        level: 40,
        stream: "binance",
        reconnects: 2,
        msg: expect.stringContaining("reconnecting in 250 ms"),
      },
      { level: 30, symbol: "BTC-USDT", msg: "BTC-USDT prices now from binance (stream)" },
    ]);
  });
});
