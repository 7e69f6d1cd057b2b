import {
  killAllRunners,
  type PriceServer,
  SEED_ENV,
  seedCycle,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// The venue shows prices with three decimals.
const CYCLE_1 = seedCycle(1, { digits: 3 });
const CYCLE_2 = seedCycle(2, { digits: 3 });

let venue: Venue;
let prices: PriceServer;

beforeAll(async () => {
  venue = await startVenue();
});
afterAll(async () => {
  await venue.close();
});
afterEach(async () => {
  killAllRunners();
  await prices?.close();
});

function ladderOf(book: string) {
  const orders = venue.liveOrders(book);
  const prices = (side: "buy" | "sell") =>
    orders
      .filter((order) => order.side === side)
      .map((order) => order.price)
      .sort((a, b) => (side === "buy" ? Number(b) - Number(a) : Number(a) - Number(b)));
  return { bids: prices("buy"), asks: prices("sell"), orders };
}

// The seed polled REST every interval: PRICE_FEED=poll must keep that exactly. The stream
// variant quotes the same ladders, the second one on the pushed tick.
describe.each([
  ["diff (default), PRICE_FEED=poll", { PRICE_FEED: "poll" }, "source", false],
  [
    "replace-all, PRICE_FEED=poll",
    { PRICE_FEED: "poll", REQUOTE_MODE: "replace-all" },
    "source",
    false,
  ],
  [
    "diff, PRICE_FEED=poll, the built runner (node dist/main.js)",
    { PRICE_FEED: "poll" },
    "built",
    false,
  ],
  ["diff, PRICE_FEED=stream (local WebSockets)", { PRICE_FEED: "stream" }, "source", true],
  // The built runner loads `ws` from its own node_modules on the first stream.
  ["diff, PRICE_FEED=stream, the built runner", { PRICE_FEED: "stream" }, "built", true],
] as const)("the seed's worked example, %s", (_mode, modeEnv, command, streamed) => {
  it("holds exactly the seed's six prices after cycle 1, then exactly the new six", async () => {
    prices = await startPriceServer({ "BTC-USDT": "50000.00" });
    const book = `BTC-USDT`;
    const runner = startRunnerProcess(
      {
        MATCHINGO_GRPC_ADDR: venue.address,
        BINANCE_URL: prices.url,
        COINBASE_URL: prices.url,
        KRAKEN_URL: prices.url,
        MARKET_SYMBOL: "BTC-USDT",
        ...SEED_ENV,
        PRICE_TICK: "0.01",
        // Streamed, only the pushed tick can requote within the test: the interval is long.
        UPDATE_INTERVAL_SECONDS: streamed ? "600" : "0.3",
        STATE_DIR: tempDir(),
        METRICS_ADDR: "off",
        ...modeEnv,
        ...(streamed ? prices.env : {}),
      },
      [],
      { command },
    );

    const first = await waitFor(
      () => {
        const ladder = ladderOf(book);
        return ladder.orders.length === 6 && ladder;
      },
      20_000,
      "the first ladder",
    );
    expect({ bids: first.bids, asks: first.asks }).toEqual(CYCLE_1);
    for (const order of first.orders) {
      expect(order.quantity).toBe("0.010");
      expect(order.userAddress).toBe("mm-01");
      expect(order.orderId).toMatch(/^mm-01-(buy|sell)-[123]-\d+$/);
    }
    const oldIds = new Set(first.orders.map((order) => order.orderId));

    if (streamed) {
      // The step must travel on the WebSocket, not on the REST fallback's poll.
      await runner.waitForLog((line) => line.msg === "BTC-USDT prices now from binance (stream)");
    }
    prices.prices.set("BTC-USDT", "50100.00");
    const second = await waitFor(
      () => {
        const ladder = ladderOf(book);
        return ladder.orders.length === 6 && ladder.bids[0] === CYCLE_2.bids[0] && ladder;
      },
      20_000,
      "the second ladder",
    );
    expect({ bids: second.bids, asks: second.asks }).toEqual(CYCLE_2);
    expect(second.orders.filter((order) => oldIds.has(order.orderId))).toEqual([]);
    // Our own orders never traded with each other.
    expect(venue.trades(book)).toEqual([]);

    // The runner says how it gets its prices.
    const quoting = await runner.waitForLog((line) => line.msg.startsWith("quoting BTC-USDT"));
    expect(quoting.priceFeed).toBe(streamed ? "stream" : "poll");
    expect(runner.logs.filter((line) => /price stream .* lost/.test(line.msg))).toEqual([]);

    runner.kill("SIGTERM");
    const exit = await runner.exited;
    expect(exit.code).toBe(0);
    expect(venue.liveOrders(book)).toEqual([]);
  });
});
