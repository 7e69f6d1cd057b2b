import { type ExchangeKit, startExchangeKit } from "@matchingo-mm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BINANCE_REST_URL,
  BINANCE_WS_URL,
  COINBASE_REST_URL,
  COINBASE_WS_URL,
  defaultSources,
  EXCHANGE_NAMES,
  EXCHANGES,
  exchangeAdapter,
  isExchangeName,
  isSourceName,
  KRAKEN_REST_URL,
  KRAKEN_WS_URL,
  type PriceStream,
  SOURCE_NAMES,
  type SourceSettings,
  sourceAdapter,
  TapeError,
} from "../../src/index.ts";

const symbols: SourceSettings["symbols"] = [{ symbol: "BTC-USDT", startPrice: "50000.00" }];

describe("the registry", () => {
  it("lists the exchanges in failover order, then the local stand-ins", () => {
    expect(EXCHANGE_NAMES).toEqual(["binance", "coinbase", "kraken"]);
    expect(SOURCE_NAMES).toEqual(["binance", "coinbase", "kraken", "synthetic", "replay"]);
    expect(SOURCE_NAMES.map((name) => sourceAdapter(name).offline)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(isExchangeName("kraken")).toBe(true);
    expect(isExchangeName("synthetic")).toBe(false);
    expect(isSourceName("replay")).toBe(true);
    expect(isSourceName("bitstamp")).toBe(false);
  });

  it("refuses a name it does not know, listing the ones it does", () => {
    expect(() => sourceAdapter("bitstamp")).toThrow(
      /no price source "bitstamp" \(binance, coinbase, kraken, synthetic, replay\)/,
    );
    expect(() => exchangeAdapter("synthetic")).toThrow(/no exchange "synthetic"/);
  });

  it("knows each exchange's public endpoints", () => {
    expect(Object.fromEntries(EXCHANGES.map((e) => [e.name, e.endpoints]))).toEqual({
      binance: { rest: BINANCE_REST_URL, ws: BINANCE_WS_URL },
      coinbase: { rest: COINBASE_REST_URL, ws: COINBASE_WS_URL },
      kraken: { rest: KRAKEN_REST_URL, ws: KRAKEN_WS_URL },
    });
    expect(BINANCE_REST_URL).toBe("https://api.binance.com");
    expect(COINBASE_REST_URL).toBe("https://api.exchange.coinbase.com");
    expect(KRAKEN_REST_URL).toBe("https://api.kraken.com");
  });

  it("builds the default sources from it, named after each exchange", () => {
    expect(defaultSources().map((source) => source.name)).toEqual([
      "binance",
      "coinbase",
      "kraken",
    ]);
  });
});

describe("exchange adapters", () => {
  let kit: ExchangeKit;
  const streams: PriceStream[] = [];
  beforeEach(async () => {
    kit = await startExchangeKit({
      prices: { "BTC-USDT": { bid: "50000.00", ask: "50002.00", last: "50001.50" } },
      heartbeatMs: 100,
    });
  });
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await kit.close();
  });

  it.each(EXCHANGE_NAMES)("%s: its REST source asks the URL it is given", async (name) => {
    const source = exchangeAdapter(name).createSource({ symbols, restUrl: kit.url });
    expect(source.name).toBe(name);
    await expect(source.latest("BTC-USDT")).resolves.toMatchObject({
      source: name,
      price: "50001.50",
    });
    expect(kit.requests[name]).toBe(1);
  });

  it.each(EXCHANGE_NAMES)("%s: its stream reaches the WS URL it is given", async (name) => {
    const adapter = exchangeAdapter(name);
    const settings = { symbols, restUrl: kit.url, wsUrl: kit.stream(name).url, staleMs: 2000 };
    const stream = adapter.createStream!(settings, adapter.createSource(settings));
    expect(stream).toBeDefined();
    streams.push(stream!);
    stream!.track(["BTC-USDT"]);
    await expect.poll(() => stream!.quote("BTC-USDT")?.bid).toBe("50000.00");
    expect(stream!.name).toBe(name);
  });

  it.each(EXCHANGE_NAMES)("%s: no stream when only the REST URL points elsewhere", (name) => {
    const adapter = exchangeAdapter(name);
    const settings = { symbols, restUrl: kit.url };
    expect(adapter.createStream!(settings, adapter.createSource(settings))).toBeUndefined();
    const stated = { symbols, restUrl: kit.url, wsUrl: adapter.endpoints.ws };
    expect(adapter.createStream!(stated, adapter.createSource(stated))).toBeUndefined();
  });

  it("binance takes the user's own spelling of a symbol, on REST and on its stream", async () => {
    const adapter = exchangeAdapter("binance");
    kit.setPrice("FOO-BAR", { bid: "1.00", ask: "1.02", last: "1.01" });
    // BTC-USDT spelled FOOBAR: the kit answers FOOBAR with FOO-BAR's price.
    const settings = {
      symbols: [{ symbol: "BTC-USDT", externalSymbol: "FOOBAR" }],
      restUrl: kit.url,
      wsUrl: kit.binance.url,
      priceType: "last" as const,
    };
    const source = adapter.createSource(settings);
    await expect(source.latest("BTC-USDT")).resolves.toMatchObject({ price: "1.01" });
    const stream = adapter.createStream!(settings, source)!;
    streams.push(stream);
    stream.track(["BTC-USDT"]);
    await expect.poll(() => stream.quote("BTC-USDT")?.bid).toBe("1.00");
    // priceType last: the trades are streamed too.
    expect(kit.binance.subscribed()).toEqual(["FOO-BAR"]);
    expect(JSON.stringify(kit.binance.frames)).toContain("foobar@trade");
  });
});

describe("offline adapters", () => {
  it("synthetic walks from each symbol's start with the seed, and streams its walk", async () => {
    const adapter = sourceAdapter("synthetic");
    const walk = () => adapter.createSource({ symbols, seed: 7 }).latest("BTC-USDT");
    const [a, b] = [await walk(), await walk()];
    expect(a.source).toBe("synthetic");
    expect(a.price).toBe(b.price);
    expect(Number(a.price)).toBeGreaterThan(49_000);
    expect(Number(a.price)).toBeLessThan(51_000);
    const poll = adapter.createSource({ symbols, seed: 7 });
    const stream = adapter.createStream!({ symbols }, poll)!;
    try {
      stream.track(["BTC-USDT"]);
      await expect.poll(() => stream.quote("BTC-USDT")?.source).toBe("synthetic");
    } finally {
      stream.close();
    }
  });

  it("replay reads its tape through the caller, CSV by its name, in a loop, and has no stream", async () => {
    const adapter = sourceAdapter("replay");
    const read = (name: string, text: string) =>
      adapter.createSource({ symbols, tape: { name, read: () => text } });
    const csv = read("tape.csv", "time,price\n1,100.5\n2,101.5\n");
    expect((await csv.latest("BTC-USDT")).price).toBe("100.5");
    expect((await csv.latest("BTC-USDT")).price).toBe("101.5");
    expect((await csv.latest("BTC-USDT")).price).toBe("100.5");
    const jsonl = read("tape.jsonl", '{"time":1,"price":"7.25"}\n');
    expect((await jsonl.latest("BTC-USDT")).price).toBe("7.25");
    expect(() => read("tape.jsonl", "1,100.5\n")).toThrow(TapeError);
    expect(() => adapter.createSource({ symbols })).toThrow(/replay: no tape/);
    expect(adapter.createStream).toBeUndefined();
  });
});
