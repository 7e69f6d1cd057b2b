import { type ExchangeKit, type ExchangeName, startExchangeKit } from "@matchingo-mm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PriceStream, StreamQuote } from "../../src/index.ts";
import { type Opened, open } from "./kit.ts";

const EXCHANGES: readonly ExchangeName[] = ["binance", "coinbase", "kraken"];
const SYMBOL = "BTC-USD";

let kit: ExchangeKit;
const streams: PriceStream[] = [];

beforeEach(async () => {
  kit = await startExchangeKit({
    prices: {
      [SYMBOL]: { bid: "50000.10", ask: "50000.20", last: "50000.15" },
      "ETH-USD": "3000.5",
    },
    heartbeatMs: 100,
  });
});

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await kit.close();
});

function start(exchange: ExchangeName, options = {}): Opened {
  const opened = open(kit, exchange, options);
  streams.push(opened.stream);
  opened.stream.track([SYMBOL]);
  return opened;
}

const bidOf = (stream: PriceStream) => stream.quote(SYMBOL)?.bid;

describe.each(EXCHANGES)("%s stream", (exchange) => {
  it("subscribes, is acknowledged, takes the snapshot and then every update", async () => {
    const { stream, events } = start(exchange);
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    expect(stream.quote(SYMBOL)).toMatchObject({
      symbol: SYMBOL,
      ask: "50000.20",
      source: exchange,
    });
    expect(events.some((e) => e.type === "stream-subscribed")).toBe(true);
    expect(kit.stream(exchange).subscribed()).toEqual([SYMBOL]);
    expect(stream.isUp()).toBe(true);

    kit.setPrice(SYMBOL, { bid: "50010.00", ask: "50011.00", last: "50010.5" });
    await expect.poll(() => bidOf(stream)).toBe("50010.00");
    expect(stream.quote(SYMBOL)?.ask).toBe("50011.00");
  });

  it("shares one connection for every symbol, subscribing new ones live", async () => {
    const { stream } = start(exchange);
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    stream.track(["ETH-USD"]);
    await expect.poll(() => stream.quote("ETH-USD")?.bid).toBe("3000.5");
    expect(kit.stream(exchange).connects()).toBe(1);
    expect(kit.stream(exchange).subscribed().sort()).toEqual(["BTC-USD", "ETH-USD"]);
  });

  it("reconnects and resubscribes after the server drops the connection", async () => {
    const { stream, events } = start(exchange);
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.stream(exchange).drop();
    await expect.poll(() => events.some((e) => e.type === "stream-disconnected")).toBe(true);
    await expect.poll(() => kit.stream(exchange).connects()).toBe(2);
    kit.setPrice(SYMBOL, "50100.00");
    await expect.poll(() => bidOf(stream)).toBe("50100.00");
    expect(kit.stream(exchange).subscribed()).toEqual([SYMBOL]);
    expect(stream.stats().reconnects).toBeGreaterThanOrEqual(1);
  });

  it("takes a socket that stays open but goes silent as dead, and reconnects", async () => {
    const { stream, errors } = start(exchange, { staleMs: 400 });
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.stream(exchange).silent(true);
    await expect.poll(() => errors("stale").length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(stream.isUp()).toBe(false);
    kit.stream(exchange).silent(false);
    await expect
      .poll(() => kit.stream(exchange).connects(), { timeout: 5000 })
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => stream.isUp(), { timeout: 5000 }).toBe(true);
  });

  it("answers the server's ping", async () => {
    const { stream } = start(exchange);
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.stream(exchange).ping();
    await expect.poll(() => kit.stream(exchange).pongs()).toBe(1);
  });

  it("reports a refused subscription as a typed error and makes no price of it", async () => {
    kit.stream(exchange).failSubscribe("no such market");
    const { stream, errors } = start(exchange);
    await expect.poll(() => errors("subscribe-failed").length).toBe(1);
    const [event] = errors("subscribe-failed");
    expect(event?.type === "stream-error" && event.error.message).toContain("no such market");
    expect(stream.quote(SYMBOL)).toBeUndefined();
  });

  it("rejects garbage and foreign frames with typed errors; none becomes a price", async () => {
    const { stream, errors } = start(exchange);
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    const before = stream.quote(SYMBOL);
    const control = kit.stream(exchange);
    control.send("not json {");
    control.send("[1,2,3]");
    for (const frame of BAD_FRAMES[exchange]) control.send(frame);
    const expected = 2 + BAD_FRAMES[exchange].length;
    await expect.poll(() => errors().length).toBe(expected);
    const kinds = errors().map((e) => (e.type === "stream-error" ? e.error.kind : ""));
    expect(kinds.slice(0, 2)).toEqual(["malformed", "malformed"]);
    expect(kinds).toContain("foreign");
    expect(kinds).toContain("invalid-price");
    const after = stream.quote(SYMBOL) as StreamQuote;
    expect(after.bid).toBe(before?.bid);
    expect(after.ask).toBe(before?.ask);
    expect(stream.stats().rejected).toBe(expected);
  });
});

/** Per exchange: a foreign symbol, then bad prices (zero, negative, text, exponent). */
const BAD_FRAMES: Record<ExchangeName, string[]> = {
  binance: [
    '{"stream":"dogeusdt@bookTicker","data":{"u":1,"s":"DOGEUSDT","b":"1","B":"1","a":"1","A":"1"}}',
    '{"stream":"btcusd@bookTicker","data":{"u":9999999,"s":"BTCUSD","b":"0","B":"1","a":"1","A":"1"}}',
    '{"stream":"btcusd@bookTicker","data":{"u":9999999,"s":"BTCUSD","b":"-5","B":"1","a":"1","A":"1"}}',
    '{"stream":"btcusd@bookTicker","data":{"u":9999999,"s":"BTCUSD","b":"NaN","B":"1","a":"1","A":"1"}}',
    '{"stream":"btcusd@bookTicker","data":{"u":9999999,"s":"BTCUSD","b":5e4,"B":"1","a":"1","A":"1"}}',
  ],
  coinbase: [
    '{"type":"ticker","sequence":1,"product_id":"DOGE-USD","price":"1","best_bid":"1","best_ask":"1"}',
    '{"type":"ticker","sequence":99999999,"product_id":"BTC-USD","price":"1","best_bid":"0","best_ask":"1"}',
    '{"type":"ticker","sequence":99999999,"product_id":"BTC-USD","price":"1","best_bid":"-1","best_ask":"1"}',
    '{"type":"ticker","sequence":99999999,"product_id":"BTC-USD","price":"1","best_bid":"abc","best_ask":"1"}',
    '{"type":"ticker","sequence":99999999,"product_id":"BTC-USD","price":"1","best_bid":5e4,"best_ask":"1"}',
  ],
  kraken: [
    '{"channel":"ticker","type":"update","data":[{"symbol":"DOGE/USD","bid":1,"ask":1,"last":1}]}',
    '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":0,"ask":1,"last":1}]}',
    '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":-1,"ask":1,"last":1}]}',
    '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":"abc","ask":1,"last":1}]}',
    '{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":5e4,"ask":1,"last":1}]}',
  ],
};

describe("exchange specifics", () => {
  it("binance: serverShutdown makes it reconnect at once and resubscribe", async () => {
    const { stream, errors } = start("binance");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.binance.shutdown();
    await expect.poll(() => errors("server-shutdown").length).toBe(1);
    await expect.poll(() => kit.binance.connects()).toBe(2);
    kit.setPrice(SYMBOL, "50200.00");
    await expect.poll(() => bidOf(stream)).toBe("50200.00");
  });

  it("binance: SUBSCRIBE carries increasing ids, one frame per batch", async () => {
    const { stream } = start("binance");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    stream.track(["ETH-USD"]);
    await expect.poll(() => kit.binance.frames.length).toBe(2);
    expect(kit.binance.frames).toEqual([
      { method: "SUBSCRIBE", params: ["btcusd@bookTicker"], id: 1 },
      { method: "SUBSCRIBE", params: ["ethusd@bookTicker"], id: 2 },
    ]);
  });

  it("binance: symbols tracked one by one are subscribed in one frame (5 messages/s limit)", async () => {
    const { stream } = start("binance");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    stream.track(["ETH-USD"]);
    stream.track(["SOL-USD"]);
    stream.track(["DOGE-USD"]);
    await expect.poll(() => kit.binance.frames.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kit.binance.frames[1]).toEqual({
      method: "SUBSCRIBE",
      params: ["ethusd@bookTicker", "solusd@bookTicker", "dogeusd@bookTicker"],
      id: 2,
    });
    expect(kit.binance.frames).toHaveLength(2);
  });

  it("binance: with trades on, quotes carry the last trade", async () => {
    const { stream } = start("binance", { trades: true });
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.setPrice(SYMBOL, { bid: "50001", ask: "50002", last: "50001.75" });
    await expect.poll(() => stream.quote(SYMBOL)?.last).toBe("50001.75");
  });

  it("coinbase: a skipped sequence number is reported as a gap, the ticker still counts", async () => {
    const { stream, errors } = start("coinbase");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    kit.coinbase.skipSequence(3);
    kit.setPrice(SYMBOL, "50300.00");
    await expect.poll(() => errors("gap").length).toBe(1);
    const [gap] = errors("gap");
    expect(gap?.type === "stream-error" && gap.error.message).toMatch(/expected 102, got 105/);
    expect(stream.stats().gaps).toBe(1);
    await expect.poll(() => bidOf(stream)).toBe("50300.00");
  });

  it("coinbase: subscribes within the server's 5 s limit (sent on open)", async () => {
    const { stream } = start("coinbase");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    expect(kit.coinbase.frames[0]).toEqual({
      type: "subscribe",
      product_ids: [SYMBOL],
      channels: ["ticker", "heartbeat"],
    });
  });

  it("kraken: prices with more digits than a double holds arrive exactly", async () => {
    const { stream } = start("kraken");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    const bid = "50000.123456789012345678";
    const ask = "50000.123456789012345679";
    expect(String(Number(bid))).not.toBe(bid); // a float would lose them
    kit.setPrice(SYMBOL, { bid, ask, last: "50000.1234567890123456785" });
    await expect.poll(() => bidOf(stream)).toBe(bid);
    expect(stream.quote(SYMBOL)).toMatchObject({ ask, last: "50000.1234567890123456785" });
  });

  it("kraken: subscribes to ticker with event_trigger bbo and a snapshot", async () => {
    const { stream } = start("kraken");
    await expect.poll(() => bidOf(stream)).toBe("50000.10");
    expect(kit.kraken.frames[0]).toEqual({
      method: "subscribe",
      params: { channel: "ticker", symbol: ["BTC/USD"], event_trigger: "bbo", snapshot: true },
      req_id: 1,
    });
  });

  it("keeps retrying a server that refuses connections, then recovers", async () => {
    kit.coinbase.refuse(true);
    const { stream, events } = start("coinbase");
    await expect
      .poll(() => events.filter((e) => e.type === "stream-disconnected").length)
      .toBeGreaterThanOrEqual(2);
    kit.coinbase.refuse(false);
    await expect.poll(() => bidOf(stream), { timeout: 5000 }).toBe("50000.10");
  });
});
