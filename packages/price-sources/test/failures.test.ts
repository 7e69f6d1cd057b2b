import { type Clock, PriceError, type PriceErrorKind } from "@matchingo-mm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binance, coinbase, kraken, type PriceSource } from "../src/index.ts";
import { manualClock } from "./helpers/clock.ts";
import {
  binanceInvalidSymbol,
  binancePrice,
  coinbaseTicker,
  krakenAnswer,
  krakenError,
  krakenPair,
} from "./helpers/exchanges.ts";
import { closedPortUrl, type Reply, startServer, type TestServer } from "./helpers/server.ts";

/**
 * Every failure listed under "What a price source must survive" in the shared doc, for
 * each exchange: a typed `PriceError` of the right kind, and no price.
 */

const NOW = "2026-11-24T10:00:00.123456Z";
const HTML = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";

interface Exchange {
  readonly make: (baseUrl: string, options?: { timeoutMs?: number; clock?: Clock }) => PriceSource;
  /** A well-formed answer for BTC-USDT with this price. */
  readonly priced: (price: string) => unknown;
  readonly changedShape: unknown;
  readonly missingField: unknown;
  readonly wrongSymbol?: unknown;
  readonly unknownSymbol: Reply;
}

const exchanges: Record<string, Exchange> = {
  binance: {
    make: (baseUrl, options) => binance({ baseUrl, ...options, budget: false }),
    priced: (price) => binancePrice("BTCUSDT", price),
    changedShape: { data: { symbol: "BTCUSDT", price: "50000.00" } },
    missingField: { symbol: "BTCUSDT" },
    wrongSymbol: binancePrice("ETHUSDT", "3000.00"),
    unknownSymbol: { status: 400, body: binanceInvalidSymbol },
  },
  coinbase: {
    make: (baseUrl, options) => coinbase({ baseUrl, ...options, budget: false }),
    priced: (price) => coinbaseTicker(price, NOW),
    changedShape: [coinbaseTicker("50000.50", NOW)],
    missingField: { ask: "50001.00", bid: "50000.00", time: NOW },
    unknownSymbol: { status: 404, body: { message: "NotFound" } },
  },
  kraken: {
    make: (baseUrl, options) => kraken({ baseUrl, ...options, budget: false }),
    priced: (price) => krakenAnswer({ XBTUSDT: krakenPair(price) }),
    changedShape: { error: [], result: { XBTUSDT: { last: "50000.5" } } },
    missingField: { result: { XBTUSDT: krakenPair("50000.5") } },
    wrongSymbol: krakenAnswer({ XETHZUSD: krakenPair("3000.00") }),
    unknownSymbol: { body: krakenError("EQuery:Unknown asset pair") },
  },
};

let server: TestServer;
let refusedUrl: string;
beforeAll(async () => {
  server = await startServer();
  refusedUrl = await closedPortUrl();
});
afterAll(() => server.close());

async function expectNoPrice(source: PriceSource, kind: PriceErrorKind): Promise<PriceError> {
  const results = await source.fetchTicks(["BTC-USDT"]);
  const answer = results.get("BTC-USDT");
  expect(answer).toBeInstanceOf(PriceError);
  expect(answer).toMatchObject({ kind, source: source.name, symbol: "BTC-USDT" });
  const error = await source.latest("BTC-USDT").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PriceError);
  expect(error).toMatchObject({ kind });
  return error as PriceError;
}

describe.each(Object.entries(exchanges))("%s survives", (_name, exchange) => {
  const replying = (reply: Reply) => {
    server.handle(() => reply);
    return exchange.make(server.url);
  };

  it("the happy path (control)", async () => {
    const tick = await replying({ body: exchange.priced("50000.50") }).latest("BTC-USDT");
    expect(tick.price).toBe("50000.50");
  });

  it("connection refused", async () => {
    await expectNoPrice(exchange.make(refusedUrl), "unreachable");
  });

  it("a DNS failure", async () => {
    await expectNoPrice(
      exchange.make("http://price-source.invalid", { timeoutMs: 5000 }),
      "unreachable",
    );
  });

  it("a timeout", async () => {
    server.handle(() => "hang");
    await expectNoPrice(exchange.make(server.url, { timeoutMs: 100 }), "timeout");
  });

  it("HTTP 5xx", async () => {
    const error = await expectNoPrice(replying({ status: 502, body: HTML }), "http-status");
    expect(error.status).toBe(502);
  });

  it.each([429, 418])("HTTP %i with Retry-After", async (status) => {
    // A fresh source per call: the first refusal closes its gate for the window.
    server.handle(() => ({ status, headers: { "retry-after": "7" }, body: { code: -1003 } }));
    const first = await exchange.make(server.url).fetchTicks(["BTC-USDT"]);
    expect(first.get("BTC-USDT")).toMatchObject({
      kind: "rate-limited",
      status,
      retryAfterMs: 7000,
    });
  });

  it("an HTML error page with HTTP 200", async () => {
    await expectNoPrice(replying({ status: 200, body: HTML }), "bad-payload");
  });

  it("truncated JSON", async () => {
    const whole = JSON.stringify(exchange.priced("50000.50"));
    await expectNoPrice(replying({ body: whole.slice(0, whole.length - 9) }), "bad-payload");
  });

  it("a connection cut in the middle of the body", async () => {
    server.handle(() => "cut");
    await expectNoPrice(exchange.make(server.url), "unreachable");
  });

  it("a JSON shape that changed", async () => {
    await expectNoPrice(replying({ body: exchange.changedShape }), "bad-payload");
  });

  it("a missing field", async () => {
    await expectNoPrice(replying({ body: exchange.missingField }), "bad-payload");
  });

  it.each([
    "0",
    "0.00000000",
    "-50000.50",
    "abc",
    "NaN",
    "Infinity",
    "5e4",
    "",
    " 50000",
    "50,000.50",
  ])("price %j", async (price) => {
    await expectNoPrice(replying({ body: exchange.priced(price) }), "invalid-price");
  });

  it("a price as a JSON number (already a float)", async () => {
    const body = JSON.stringify(exchange.priced("50000.50")).replace('"50000.50"', "50000.5");
    await expectNoPrice(replying({ body }), "bad-payload");
  });

  it("an unknown symbol", async () => {
    await expectNoPrice(replying(exchange.unknownSymbol), "unknown-symbol");
  });

  it("a symbol that is not BASE-QUOTE, without asking the exchange", async () => {
    server.handle(() => ({ body: exchange.priced("1") }));
    server.requests.length = 0;
    const results = await exchange.make(server.url).fetchTicks(["btcusdt"]);
    expect(results.get("btcusdt")).toMatchObject({ kind: "unknown-symbol" });
    expect(server.requests).toHaveLength(0);
  });

  if (exchange.wrongSymbol !== undefined) {
    it("a price for another symbol", async () => {
      await expectNoPrice(replying({ body: exchange.wrongSymbol }), "wrong-symbol");
    });
  }

  it("an aborted call", async () => {
    server.handle(() => "hang");
    const controller = new AbortController();
    const pending = exchange
      .make(server.url, { timeoutMs: 5000 })
      .latest("BTC-USDT", { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
  });
});

describe("Retry-After is honoured exactly (counted on the server)", () => {
  it.each(Object.entries(exchanges))("%s", async (_name, exchange) => {
    const clock = manualClock();
    let limited = true;
    server.handle(() =>
      limited
        ? { status: 429, headers: { "retry-after": "30" }, body: { message: "slow down" } }
        : { body: exchange.priced("50000.50") },
    );
    server.requests.length = 0;
    const withClock = exchange.make(server.url, { clock });
    await expect(withClock.latest("BTC-USDT")).rejects.toMatchObject({
      kind: "rate-limited",
      retryAfterMs: 30_000,
    });
    expect(server.requests).toHaveLength(1);
    limited = false;
    for (const step of [1, 10_000, 29_998, 29_999]) {
      clock.set(Date.parse("2026-11-24T10:00:00.000Z") + step);
      await expect(withClock.latest("BTC-USDT")).rejects.toMatchObject({
        kind: "cooling-down",
        retryAfterMs: 30_000 - step,
      });
    }
    expect(server.requests).toHaveLength(1);
    clock.set(Date.parse("2026-11-24T10:00:00.000Z") + 30_000);
    await expect(withClock.latest("BTC-USDT")).resolves.toMatchObject({ price: "50000.50" });
    expect(server.requests).toHaveLength(2);
  });

  it("an HTTP date in Retry-After", async () => {
    const clock = manualClock();
    server.handle(() => ({
      status: 418,
      headers: { "retry-after": new Date(clock.now() + 120_000).toUTCString() },
      body: { code: -1003, msg: "Way too many requests; IP banned." },
    }));
    const source = binance({ baseUrl: server.url, clock, budget: false });
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({
      kind: "rate-limited",
      status: 418,
      retryAfterMs: 120_000,
    });
  });

  it("Kraken's HTTP-200 'Too many requests' closes the gate too", async () => {
    const clock = manualClock();
    server.handle(() => ({ body: krakenError("EGeneral:Too many requests") }));
    server.requests.length = 0;
    const source = kraken({ baseUrl: server.url, clock, budget: false, defaultRetryAfterMs: 5000 });
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({ kind: "rate-limited" });
    clock.advance(4999);
    await expect(source.latest("BTC-USDT")).rejects.toMatchObject({ kind: "cooling-down" });
    expect(server.requests).toHaveLength(1);
  });
});
