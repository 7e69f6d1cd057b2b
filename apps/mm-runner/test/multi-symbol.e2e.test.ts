import {
  killAllRunners,
  type PriceServer,
  startPriceServer,
  startRunnerProcess,
  tempDir,
  waitFor,
} from "@matchingo-mm/testkit";
import { startVenue, type Venue } from "@matchingo-mm/venue";
import { afterAll, beforeAll, expect, it } from "vitest";

let venue: Venue;
let prices: PriceServer;

beforeAll(async () => {
  venue = await startVenue();
  prices = await startPriceServer({ "BTC-USDT": "50000", "ETH-USDT": "3000" });
});
afterAll(async () => {
  killAllRunners();
  await prices.close();
  await venue.close();
});

const bestBid = (book: string) =>
  venue
    .liveOrders(book)
    .filter((order) => order.side === "buy")
    .map((order) => Number(order.price))
    .sort((a, b) => b - a)[0];

it("quotes two symbols in two worker threads; one symbol's price failing does not disturb the other", async () => {
  const runner = startRunnerProcess({
    MATCHINGO_GRPC_ADDR: venue.address,
    BINANCE_URL: prices.url,
    COINBASE_URL: prices.url,
    KRAKEN_URL: prices.url,
    MARKET_SYMBOLS: "BTC-USDT,ETH-USDT",
    MARKET_MAKER_ID: "mm-multi",
    UPDATE_INTERVAL_SECONDS: "0.3",
    MAX_PRICE_AGE_SECONDS: "1",
    STATE_DIR: tempDir(),
    METRICS_ADDR: "off",
  });

  // Both books carry a full ladder, each under its own market-maker id.
  await waitFor(
    () => venue.liveOrders("BTC-USDT").length === 6 && venue.liveOrders("ETH-USDT").length === 6,
    20_000,
    "both ladders",
  );
  expect(new Set(venue.liveOrders("BTC-USDT").map((order) => order.userAddress))).toEqual(
    new Set(["mm-multi-BTC-USDT"]),
  );
  expect(new Set(venue.liveOrders("ETH-USDT").map((order) => order.userAddress))).toEqual(
    new Set(["mm-multi-ETH-USDT"]),
  );
  const threads = runner.logs
    .filter((line) => typeof line.threadId === "number")
    .map((line) => [line.symbol, line.threadId]);
  expect(threads).toHaveLength(2);
  expect(new Set(threads.map(([, id]) => id)).size).toBe(2);
  expect(new Set(threads.map(([symbol]) => symbol))).toEqual(new Set(["BTC-USDT", "ETH-USDT"]));

  // ETH's price fails on every source: its quotes are pulled, BTC keeps following its price.
  prices.failing.add("ETH-USDT");
  await waitFor(() => venue.liveOrders("ETH-USDT").length === 0, 20_000, "ETH pulled");
  prices.prices.set("BTC-USDT", "50100");
  await waitFor(() => bestBid("BTC-USDT") === 50074.95, 20_000, "BTC requoted at 50100");
  // Make-before-break: the replaced orders go a moment after the new best bid lands.
  await waitFor(() => venue.liveOrders("BTC-USDT").length === 6, 20_000, "BTC's old orders gone");
  await runner.waitForLog((line) => line.symbol === "ETH-USDT" && /quotes pulled/.test(line.msg));
  // Every cycle line of a worker names its symbol.
  const cycleLines = runner.logs.filter((line) => typeof line.cycle === "number");
  expect(cycleLines.every((line) => line.symbol === "BTC-USDT" || line.symbol === "ETH-USDT")).toBe(
    true,
  );

  // ETH's price returns: it quotes again.
  prices.failing.delete("ETH-USDT");
  await waitFor(() => venue.liveOrders("ETH-USDT").length === 6, 20_000, "ETH back");

  runner.kill("SIGINT");
  expect((await runner.exited).code).toBe(0);
  expect(venue.liveOrders()).toEqual([]);
});
