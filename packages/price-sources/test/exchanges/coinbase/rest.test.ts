import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { coinbase } from "../../../src/index.ts";
import { manualClock } from "../../helpers/clock.ts";
import { coinbaseTicker } from "../../helpers/exchanges.ts";
import { startServer, type TestServer } from "../../helpers/server.ts";

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("coinbase", () => {
  it("reads price, bid, ask and the trade time of one product", async () => {
    server.handle(() => ({
      body: coinbaseTicker("50000.50", "2026-11-24T10:00:00.123456Z", "50000.00", "50001.00"),
    }));
    const clock = manualClock(Date.parse("2026-11-24T10:00:01Z"));
    const tick = await coinbase({ baseUrl: server.url, clock }).latest("BTC-USDT");
    expect(tick).toEqual({
      symbol: "BTC-USDT",
      price: "50000.50",
      bid: "50000.00",
      ask: "50001.00",
      exchangeTime: Date.parse("2026-11-24T10:00:00.123Z"),
      receivedAt: clock.now(),
      source: "coinbase",
    });
    expect(server.requests[0]?.url).toBe("/products/BTC-USDT/ticker");
    expect(server.requests[0]?.headers["user-agent"]).toBe("matchingo-market-maker/0.1");
  });

  it("sends one request per product (no batch ticker)", async () => {
    server.handle((request) => ({
      body: coinbaseTicker(
        request.path.includes("ETH") ? "3000.10" : "50000.50",
        "2026-11-24T10:00:00Z",
      ),
    }));
    const results = await coinbase({ baseUrl: server.url }).fetchTicks([
      "BTC-USDT",
      "ETH-USD",
      "BTC-USDT",
    ]);
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      "/products/BTC-USDT/ticker",
      "/products/ETH-USD/ticker",
    ]);
    expect(results.get("ETH-USD")).toMatchObject({ price: "3000.10" });
    expect(results.get("BTC-USDT")).toMatchObject({ price: "50000.50" });
  });

  it("keeps to about 10 requests per second: the rest cool down without a request", async () => {
    server.handle(() => ({ body: coinbaseTicker("1.5", "2026-11-24T10:00:00Z") }));
    const clock = manualClock();
    const symbols = Array.from({ length: 12 }, (_, i) => `C${i}-USD`);
    const results = await coinbase({ baseUrl: server.url, clock }).fetchTicks(symbols);
    const cooling = [...results.values()].filter(
      (answer) => "kind" in answer && answer.kind === "cooling-down",
    );
    expect(server.requests).toHaveLength(10);
    expect(cooling).toHaveLength(2);
  });

  it("calls a time that is not RFC 3339 a bad payload", async () => {
    server.handle(() => ({ body: coinbaseTicker("50000.50", "yesterday") }));
    await expect(coinbase({ baseUrl: server.url }).latest("BTC-USDT")).rejects.toMatchObject({
      kind: "bad-payload",
    });
  });

  it("sends the configured User-Agent", async () => {
    server.handle(() => ({ body: coinbaseTicker("1", "2026-11-24T10:00:00Z") }));
    await coinbase({ baseUrl: server.url, userAgent: "mm-test/1" }).latest("BTC-USD");
    expect(server.requests[0]?.headers["user-agent"]).toBe("mm-test/1");
  });

  it("uses an injected fetch", async () => {
    const seen: string[] = [];
    const source = coinbase({
      baseUrl: "http://exchange.test",
      fetch: async (input) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return new Response(JSON.stringify(coinbaseTicker("7.25", "2026-11-24T10:00:00Z")), {
          headers: { "content-type": "application/json" },
        });
      },
    });
    await expect(source.latest("SOL-USD")).resolves.toMatchObject({ price: "7.25" });
    expect(seen).toEqual(["http://exchange.test/products/SOL-USD/ticker"]);
  });
});
