import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kraken } from "../../../src/index.ts";
import { manualClock } from "../../helpers/clock.ts";
import { krakenAnswer, krakenError, krakenPair } from "../../helpers/exchanges.ts";
import { startServer, type TestServer } from "../../helpers/server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("kraken", () => {
  it("asks XBTUSD for BTC-USD and reads the answer keyed XXBTZUSD", async () => {
    server.handle(() => ({
      body: krakenAnswer({ XXBTZUSD: krakenPair("50000.50000", "50000.00000", "50001.00000") }),
    }));
    const clock = manualClock();
    const tick = await kraken({ baseUrl: server.url, clock }).latest("BTC-USD");
    expect(tick).toEqual({
      symbol: "BTC-USD",
      price: "50000.50000",
      bid: "50000.00000",
      ask: "50001.00000",
      receivedAt: clock.now(),
      source: "kraken",
    });
    expect(server.requests[0]?.url).toBe("/0/public/Ticker?pair=XBTUSD");
    expect(server.requests[0]?.headers["user-agent"]).toBe("matchingo-market-maker/0.1");
  });

  it("takes the only entry positionally when Kraken renames a single pair unreadably", async () => {
    server.handle(() => ({ body: krakenAnswer({ "XBT.USDT.SPOT": krakenPair("50000.5") }) }));
    const tick = await kraken({ baseUrl: server.url }).latest("BTC-USDT");
    expect(tick.price).toBe("50000.5");
  });

  it("batches pairs as pair=a,b and maps renamed keys back by the altname rules", async () => {
    server.handle(() => ({
      body: krakenAnswer({
        // Kraken answers legacy names for legacy pairs and altnames for the rest, in its own order.
        XETHZUSD: krakenPair("3000.10"),
        XBTUSDT: krakenPair("50000.50"),
        XXBTZUSD: krakenPair("50010.00"),
        XDGUSD: krakenPair("0.12345"),
      }),
    }));
    const results = await kraken({ baseUrl: server.url }).fetchTicks([
      "BTC-USDT",
      "BTC-USD",
      "ETH-USD",
      "DOGE-USD",
    ]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.query).toBe("pair=XBTUSDT,XBTUSD,ETHUSD,XDGUSD");
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000.50" });
    expect(results.get("BTC-USD")).toMatchObject({ price: "50010.00" });
    expect(results.get("ETH-USD")).toMatchObject({ price: "3000.10" });
    expect(results.get("DOGE-USD")).toMatchObject({ price: "0.12345" });
  });

  it("reads Kraken's wsname keys as well", async () => {
    server.handle(() => ({
      body: krakenAnswer({ "XBT/USDT": krakenPair("1.5"), "ETH/USDT": krakenPair("2.5") }),
    }));
    const results = await kraken({ baseUrl: server.url }).fetchTicks(["ETH-USDT", "BTC-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ price: "1.5" });
    expect(results.get("ETH-USDT")).toMatchObject({ price: "2.5" });
  });

  it("treats a non-empty error[] with HTTP 200 as a failure even next to a result", async () => {
    server.handle(() => ({
      body: { error: ["EService:Unavailable"], result: { XBTUSDT: krakenPair("50000") } },
    }));
    await expect(kraken({ baseUrl: server.url }).latest("BTC-USDT")).rejects.toMatchObject({
      kind: "http-status",
      message: expect.stringContaining("EService:Unavailable"),
    });
  });

  it("calls a 4xx with some other JSON body http-status", async () => {
    server.handle(() => ({ status: 403, body: { message: "Forbidden" } }));
    await expect(kraken({ baseUrl: server.url }).latest("BTC-USDT")).rejects.toMatchObject({
      kind: "http-status",
      status: 403,
    });
  });

  it("a missing pair in a batch is bad-payload for it alone", async () => {
    server.handle(() => ({ body: krakenAnswer({ XBTUSDT: krakenPair("50000") }) }));
    const results = await kraken({ baseUrl: server.url }).fetchTicks(["BTC-USDT", "ETH-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000" });
    expect(results.get("ETH-USDT")).toMatchObject({ kind: "bad-payload" });
  });

  it("finds the unknown pair in a batch Kraken refused as a whole", async () => {
    server.handle((request) =>
      request.query.includes("FOO")
        ? { body: krakenError("EQuery:Unknown asset pair") }
        : { body: krakenAnswer({ XBTUSDT: krakenPair("50000") }) },
    );
    const source = kraken({ baseUrl: server.url, budget: { capacity: 3, perSecond: 1 } });
    const results = await source.fetchTicks(["BTC-USDT", "FOO-USDT"]);
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000" });
    expect(results.get("FOO-USDT")).toMatchObject({ kind: "unknown-symbol" });
    expect(server.requests.map((r) => r.query).sort()).toEqual([
      "pair=FOOUSDT",
      "pair=XBTUSDT",
      "pair=XBTUSDT,FOOUSDT",
    ]);
  });

  it("keeps to about one request per second", async () => {
    server.handle(() => ({ body: krakenAnswer({ XBTUSDT: krakenPair("50000") }) }));
    const clock = manualClock();
    const source = kraken({ baseUrl: server.url, clock, budget: { capacity: 1, perSecond: 1 } });
    await source.latest("BTC-USDT");
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({ kind: "cooling-down" });
    clock.advance(999);
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({
      kind: "cooling-down",
      retryAfterMs: 1,
    });
    clock.advance(1);
    await source.latest("BTC-USDT");
    expect(server.requests).toHaveLength(2);
  });
});
